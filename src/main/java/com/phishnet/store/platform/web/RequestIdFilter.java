package com.phishnet.store.platform.web;

import java.util.regex.Pattern;

import com.phishnet.store.platform.time.IdSource;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is well-formed, a new one otherwise.
 * The id is echoed in the response, stored on the exchange for problem details and logs, and put in the
 * Reactor context for code further down the chain.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIdFilter implements WebFilter {

    public static final String HEADER = "X-Request-Id";
    public static final String ATTRIBUTE = RequestIdFilter.class.getName() + ".requestId";
    public static final String CONTEXT_KEY = "requestId";

    /** Caller-supplied ids end up in logs and audit records, so only a short, plain alphabet is trusted. */
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    private final IdSource ids;

    public RequestIdFilter(IdSource ids) {
        this.ids = ids;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String requestId = acceptedOrNew(exchange.getRequest().getHeaders().getFirst(HEADER));
        exchange.getAttributes().put(ATTRIBUTE, requestId);
        exchange.getResponse().getHeaders().set(HEADER, requestId);
        return chain.filter(exchange).contextWrite(context -> context.put(CONTEXT_KEY, requestId));
    }

    /** The id of the request, or {@code "unknown"} for an exchange that never passed the filter. */
    public static String of(ServerWebExchange exchange) {
        String requestId = exchange.getAttribute(ATTRIBUTE);
        return requestId != null ? requestId : "unknown";
    }

    private String acceptedOrNew(String supplied) {
        return supplied != null && ACCEPTED.matcher(supplied).matches() ? supplied : ids.newId();
    }
}
