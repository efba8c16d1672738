package com.phishnet.store.platform.security;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Authenticates a request carrying {@code X-API-Key}: the key is verified ({@link ApiKeyVerifier}, a MongoDB read
 * by its prefix on every request, so revocation takes effect at once) and its claims become the same
 * {@code JwtAuthenticationToken} a bearer token would have produced ({@link SecurityConfig#authentication}), so the
 * Caller, the route rules, the rate limiter (keyed on tenant and {@code api-key:<id>}) and auditing treat it alike.
 * A key carries no role, only its tenant and scopes. A request with the key and also an {@code Authorization}
 * header or a stream {@code ticket} is refused (401): which caller it meant cannot be known.
 */
final class ApiKeyAuthentication {

    static final String HEADER = "X-API-Key";

    private ApiKeyAuthentication() {
    }

    static AuthenticationWebFilter filter(ApiKeyVerifier verifier, ProblemSecurityHandlers handlers) {
        AuthenticationWebFilter filter = new AuthenticationWebFilter(manager(verifier));
        filter.setRequiresAuthenticationMatcher(matcher());
        filter.setServerAuthenticationConverter(converter());
        filter.setAuthenticationFailureHandler(new ServerAuthenticationEntryPointFailureHandler(handlers));
        return filter;
    }

    /** Any request with the header, so that a bad key is a 401 and never falls through to another credential. */
    static ServerWebExchangeMatcher matcher() {
        return exchange -> exchange.getRequest().getHeaders().containsHeader(HEADER)
                ? ServerWebExchangeMatcher.MatchResult.match() : ServerWebExchangeMatcher.MatchResult.notMatch();
    }

    static ServerAuthenticationConverter converter() {
        return exchange -> Mono.fromSupplier(() -> {
            List<String> keys = exchange.getRequest().getHeaders().getOrEmpty(HEADER);
            return new PresentedKey(keys.size() == 1 ? keys.get(0) : null, otherCredential(exchange));
        });
    }

    static ReactiveAuthenticationManager manager(ApiKeyVerifier verifier) {
        return authentication -> {
            PresentedKey presented = (PresentedKey) authentication;
            if (presented.alongsideAnother) {
                return Mono.error(new ApiKeyRejectedException(ApiKeyRejectedException.BOTH));
            }
            if (presented.key == null) {
                return Mono.error(new ApiKeyRejectedException(ApiKeyRejectedException.DETAIL));
            }
            return verifier.verify(presented.key)
                    .switchIfEmpty(Mono.error(() -> new ApiKeyRejectedException(ApiKeyRejectedException.DETAIL)))
                    .flatMap(SecurityConfig::authentication);
        };
    }

    private static boolean otherCredential(ServerWebExchange exchange) {
        return exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION)
                || exchange.getRequest().getQueryParams().containsKey(StreamTicketAuthentication.TICKET_PARAMETER);
    }

    /** A presented key before it is verified; never authenticated, and its value is never printed. */
    static final class PresentedKey extends AbstractAuthenticationToken {

        private final String key;
        private final boolean alongsideAnother;

        PresentedKey(String key, boolean alongsideAnother) {
            super(List.of());
            this.key = key;
            this.alongsideAnother = alongsideAnother;
        }

        @Override
        public Object getCredentials() {
            return key;
        }

        @Override
        public Object getPrincipal() {
            return "api-key";
        }

        @Override
        public String toString() {
            return "PresentedKey[alongsideAnother=" + alongsideAnother + "]";
        }
    }
}
