package com.phishnet.store.platform.security;

import com.phishnet.store.platform.web.ProblemDetailsHandler;

import org.springframework.http.HttpStatus;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Requests Spring Security's firewall refuses (encoded slashes, {@code ..}, NUL, semicolons in the path) get a
 * problem document like every other error, instead of an empty 400; the detail never says which rule matched.
 */
@Component
class FirewallRejections implements ServerExchangeRejectedHandler {

    private final ProblemDetailsHandler problems;

    FirewallRejections(ProblemDetailsHandler problems) {
        this.problems = problems;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, ServerExchangeRejectedException rejected) {
        return problems.handle(exchange, new ResponseStatusException(HttpStatus.BAD_REQUEST,
                "The request path or headers contain characters this service does not accept."));
    }
}
