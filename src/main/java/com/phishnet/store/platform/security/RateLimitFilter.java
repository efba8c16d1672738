package com.phishnet.store.platform.security;

import com.phishnet.store.platform.redis.RateLimitProperties;
import com.phishnet.store.platform.redis.RateLimiter;
import com.phishnet.store.platform.web.IpRateLimitFilter;
import com.phishnet.store.platform.web.RateLimitGroups;

import org.springframework.core.Ordered;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The per-principal limit of each route group, after authentication, keyed by tenant and subject: the same
 * subject in two tenants is two principals with two budgets. Answers 429 with {@code Retry-After} as a
 * problem detail. The per-IP limit runs earlier, in {@link IpRateLimitFilter}. Here, not in {@code platform.web},
 * because it reads the token's tenant claim.
 */
@Component
public class RateLimitFilter implements WebFilter, Ordered {

    private final RateLimitGroups groups;

    public RateLimitFilter(RateLimitProperties properties, RateLimiter limiter) {
        this.groups = new RateLimitGroups(properties, limiter);
    }

    /** After Spring Security's filter chain (order -100), before the handlers. */
    @Override
    public int getOrder() {
        return 0;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!groups.enabled()) {
            return chain.filter(exchange);
        }
        return groups.groupOf(exchange)
                .map(group -> ReactiveSecurityContextHolder.getContext()
                        .mapNotNull(context -> context.getAuthentication())
                        .filter(Authentication::isAuthenticated)
                        .flatMap(authentication -> groups.acquire(group, "p:" + principalKey(authentication),
                                group.perPrincipal()))
                        .then(Mono.defer(() -> chain.filter(exchange))))
                .orElseGet(() -> chain.filter(exchange));
    }

    /**
     * {@code tenant:subject}. Tenants match {@code [A-Za-z0-9_-]} (checked when the token is validated), so
     * the first colon separates the two and no pair of principals can share a key.
     */
    static String principalKey(Authentication authentication) {
        String tenant = authentication instanceof JwtAuthenticationToken jwt
                ? jwt.getToken().getClaimAsString(JwtClaims.TENANT) : null;
        return (tenant == null ? "-" : tenant) + ":" + authentication.getName();
    }
}
