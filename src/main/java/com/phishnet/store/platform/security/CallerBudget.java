package com.phishnet.store.platform.security;

import com.phishnet.store.platform.redis.RateLimitProperties;
import com.phishnet.store.platform.redis.RateLimiter;
import com.phishnet.store.platform.web.RateLimitGroups;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Charges work that stands for many requests (the items of a bulk ingestion) to the per-principal budget of a route
 * group, the very counter {@link RateLimitFilter} counts that group's requests in: the same key (tenant and
 * subject, so a bearer token and an {@code X-API-Key} caller alike), limit and window. Charges are all or nothing
 * ({@link RateLimiter#charge}); a refusal is the filter's 429 with {@code Retry-After}. Nothing is charged when rate
 * limiting is off, the group is not configured, or the request is not authenticated.
 */
@Component
public class CallerBudget {

    private final RateLimitGroups groups;

    public CallerBudget(RateLimitProperties properties, RateLimiter limiter) {
        this.groups = new RateLimitGroups(properties, limiter);
    }

    /**
     * Charges {@code cost} units to the calling principal's budget in the group named {@code group}, at most the whole
     * budget of a window: a cost above it (a batch larger than the limit) would be refused in every window, a 429
     * whose Retry-After could never be met, so it takes a whole window's budget instead.
     */
    public Mono<Void> charge(String group, int cost) {
        if (!groups.enabled() || cost < 1) {
            return Mono.empty();
        }
        return groups.named(group)
                .map(matched -> ReactiveSecurityContextHolder.getContext()
                        .mapNotNull(context -> context.getAuthentication())
                        .filter(Authentication::isAuthenticated)
                        .flatMap(authentication -> groups.charge(matched,
                                "p:" + RateLimitFilter.principalKey(authentication), matched.perPrincipal(),
                                Math.min(cost, matched.perPrincipal()))))
                .orElseGet(Mono::empty);
    }
}
