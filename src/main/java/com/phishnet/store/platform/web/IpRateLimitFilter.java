package com.phishnet.store.platform.web;

import com.phishnet.store.platform.redis.RateLimitProperties;
import com.phishnet.store.platform.redis.RateLimiter;

import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The per-client-IP limit of each route group, applied before Spring Security's filter chain (order -100):
 * requests without a token, or with a bad one, count too, and an address over its budget gets 429 before
 * any token is verified. The address is the one {@link ClientAddressFilter} resolved.
 */
@Component
public class IpRateLimitFilter implements WebFilter, Ordered {

    /** Before {@code WebFluxSecurityConfiguration.WEB_FILTER_CHAIN_FILTER_ORDER} (-100), after the client address. */
    public static final int ORDER = -150;

    private final RateLimitGroups groups;

    public IpRateLimitFilter(RateLimitProperties properties, RateLimiter limiter) {
        this.groups = new RateLimitGroups(properties, limiter);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!groups.enabled()) {
            return chain.filter(exchange);
        }
        return groups.groupOf(exchange)
                .map(group -> groups.acquire(group, "ip:" + ClientAddressFilter.of(exchange), group.perIp())
                        .then(Mono.defer(() -> chain.filter(exchange))))
                .orElseGet(() -> chain.filter(exchange));
    }
}
