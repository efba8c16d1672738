package com.phishnet.store.platform.security;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.util.matcher.AndServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Authenticates {@code GET /api/v1/streams/**?ticket=} without an Authorization header: the ticket is redeemed for
 * the claims of the bearer token that created it, which become the same {@code JwtAuthenticationToken} that token
 * would have produced ({@link SecurityConfig#authentication}), so the Caller, the route rules, the rate limiter
 * and auditing see no difference. A ticket is bound to the exact path it was issued for. Every other request is
 * left to the bearer-token filter; a JWT in the URL ({@code access_token}) is never read by either.
 */
final class StreamTicketAuthentication {

    static final String STREAMS = "/api/v1/streams/**";
    static final String TICKET_PARAMETER = "ticket";

    private StreamTicketAuthentication() {
    }

    static AuthenticationWebFilter filter(StreamTicketRedeemer redeemer, ProblemSecurityHandlers handlers) {
        AuthenticationWebFilter filter = new AuthenticationWebFilter(manager(redeemer));
        filter.setRequiresAuthenticationMatcher(matcher());
        filter.setServerAuthenticationConverter(converter());
        filter.setAuthenticationFailureHandler(new ServerAuthenticationEntryPointFailureHandler(handlers));
        return filter;
    }

    /** A GET of a stream with exactly one ticket and no Authorization header; with one, the bearer token decides. */
    static ServerWebExchangeMatcher matcher() {
        ServerWebExchangeMatcher oneTicketNoHeader = exchange -> {
            List<String> tickets = exchange.getRequest().getQueryParams().get(TICKET_PARAMETER);
            boolean applies = tickets != null && tickets.size() == 1
                    && !exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION);
            return applies ? ServerWebExchangeMatcher.MatchResult.match() : ServerWebExchangeMatcher.MatchResult.notMatch();
        };
        return new AndServerWebExchangeMatcher(ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, STREAMS),
                oneTicketNoHeader);
    }

    static ServerAuthenticationConverter converter() {
        return exchange -> Mono.fromSupplier(() -> new TicketAuthentication(
                exchange.getRequest().getQueryParams().getFirst(TICKET_PARAMETER), requestPath(exchange)));
    }

    static ReactiveAuthenticationManager manager(StreamTicketRedeemer redeemer) {
        return authentication -> {
            TicketAuthentication presented = (TicketAuthentication) authentication;
            return redeemer.redeem(presented.ticket, presented.path)
                    .switchIfEmpty(Mono.error(StreamTicketRejectedException::new))
                    .flatMap(SecurityConfig::authentication);
        };
    }

    /**
     * The path as sent, undecoded: a ticket for {@code /api/v1/streams/scans} opens only a request whose path is
     * exactly that, never an encoded or dotted variant the router might resolve elsewhere.
     */
    private static String requestPath(ServerWebExchange exchange) {
        return exchange.getRequest().getPath().pathWithinApplication().value();
    }

    /** A presented ticket before it is redeemed; never authenticated, and its value is never printed. */
    static final class TicketAuthentication extends AbstractAuthenticationToken {

        private final String ticket;
        private final String path;

        TicketAuthentication(String ticket, String path) {
            super(List.of());
            this.ticket = ticket;
            this.path = path;
        }

        @Override
        public Object getCredentials() {
            return ticket;
        }

        @Override
        public Object getPrincipal() {
            return path;
        }

        @Override
        public String toString() {
            return "TicketAuthentication[path=" + path + "]";
        }
    }
}
