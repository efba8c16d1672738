package com.phishnet.store.platform.security;

import com.phishnet.store.platform.web.ProblemDetailsHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** 401 and 403 from the security filter chain, written as problem details; refusals are recorded for audit. */
class ProblemSecurityHandlers implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemSecurityHandlers.class);

    private final ProblemDetailsHandler problems;
    private final ObjectProvider<DeniedAccessRecorder> recorders;

    ProblemSecurityHandlers(ProblemDetailsHandler problems, ObjectProvider<DeniedAccessRecorder> recorders) {
        this.problems = problems;
        this.recorders = recorders;
    }

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException failure) {
        // RFC 6750 error code only: the description would repeat the verifier's internal text.
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE,
                failure instanceof OAuth2AuthenticationException ? "Bearer error=\"invalid_token\"" : "Bearer");
        if (failure instanceof StreamTicketRejectedException) {
            // The generic 401 text asks for a bearer token; a browser's stream needs to know its ticket failed.
            return problems.handle(exchange, new ResponseStatusException(HttpStatus.UNAUTHORIZED,
                    StreamTicketRejectedException.DETAIL));
        }
        if (failure instanceof ApiKeyRejectedException rejected) {
            // Same status, type and shape as a bad bearer token; the text names the header that failed.
            return problems.handle(exchange, new ResponseStatusException(HttpStatus.UNAUTHORIZED, rejected.getMessage()));
        }
        return problems.handle(exchange, failure);
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
        return recordDenied(exchange, denied.getMessage()).then(problems.handle(exchange, denied));
    }

    /** Audits a refusal; a failure to audit is logged, never turned into a different response. */
    static Mono<Void> recordDenied(ObjectProvider<DeniedAccessRecorder> recorders, ServerWebExchange exchange,
            String reason) {
        DeniedAccessRecorder recorder = recorders.getIfAvailable();
        if (recorder == null) {
            return Mono.empty();
        }
        return ReactiveSecurityContextHolder.getContext()
                .mapNotNull(context -> context.getAuthentication())
                .filter(JwtAuthenticationToken.class::isInstance)
                .flatMap(authentication -> recorder.accessDenied(
                        CallerArgumentResolver.from(((JwtAuthenticationToken) authentication).getToken(), exchange),
                        exchange.getRequest().getMethod().name(), exchange.getRequest().getPath().value(), reason))
                .onErrorResume(failure -> {
                    log.warn("could not audit a denied request: {}", failure.toString());
                    return Mono.empty();
                });
    }

    private Mono<Void> recordDenied(ServerWebExchange exchange, String reason) {
        return recordDenied(recorders, exchange, reason);
    }
}
