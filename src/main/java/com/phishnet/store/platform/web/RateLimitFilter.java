package com.phishnet.store.platform.web;

import java.net.InetSocketAddress;
import java.util.Optional;

import com.phishnet.store.platform.redis.RateLimitProperties;
import com.phishnet.store.platform.redis.RateLimiter;
import com.phishnet.store.platform.redis.RateLimiter.Decision;

import org.springframework.core.Ordered;
import org.springframework.http.server.PathContainer;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/**
 * Applies the rate limits of the first matching route group, per principal and per client IP. Runs after
 * authentication (so the principal is known) and answers 429 with {@code Retry-After} as a problem detail.
 */
@Component
public class RateLimitFilter implements WebFilter, Ordered {

    private final RateLimitProperties properties;
    private final RateLimiter limiter;
    private final java.util.List<MatchedGroup> groups;

    public RateLimitFilter(RateLimitProperties properties, RateLimiter limiter) {
        this.properties = properties;
        this.limiter = limiter;
        this.groups = properties.groups().stream()
                .map(group -> new MatchedGroup(group, PathPatternParser.defaultInstance.parse(group.path())))
                .toList();
    }

    /** After Spring Security's filter chain (order -100), before the handlers. */
    @Override
    public int getOrder() {
        return 0;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!properties.enabled()) {
            return chain.filter(exchange);
        }
        Optional<RateLimitProperties.Group> group = groupOf(exchange);
        if (group.isEmpty()) {
            return chain.filter(exchange);
        }
        RateLimitProperties.Group limits = group.get();
        Mono<Decision> byIp = limiter.acquire(limits.name() + ":ip:" + clientIp(exchange), limits.perIp(),
                properties.window());
        Mono<Decision> byPrincipal = ReactiveSecurityContextHolder.getContext()
                .mapNotNull(context -> context.getAuthentication())
                .map(authentication -> authentication.getName())
                .flatMap(name -> limiter.acquire(limits.name() + ":p:" + name, limits.perPrincipal(), properties.window()))
                .defaultIfEmpty(new Decision(true, 0, java.time.Duration.ZERO, false));
        return Mono.zip(byIp, byPrincipal).flatMap(decisions -> {
            Decision refused = !decisions.getT2().allowed() ? decisions.getT2() : !decisions.getT1().allowed()
                    ? decisions.getT1() : null;
            if (refused == null) {
                return chain.filter(exchange);
            }
            long seconds = Math.max(1, (refused.retryAfter().toMillis() + 999) / 1000);
            return Mono.error(new ApiException.TooManyRequests("Rate limit of the '" + limits.name()
                    + "' routes reached; retry after " + seconds + "s.", seconds));
        });
    }

    Optional<RateLimitProperties.Group> groupOf(ServerWebExchange exchange) {
        PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
        String method = exchange.getRequest().getMethod().name();
        return groups.stream()
                .filter(matched -> matched.group().method() == null || matched.group().method().isBlank()
                        || matched.group().method().equalsIgnoreCase(method))
                .filter(matched -> matched.pattern().matches(path))
                .map(MatchedGroup::group)
                .findFirst();
    }

    /** The socket's address; forwarded headers are honoured only if the server is configured to trust them. */
    private static String clientIp(ServerWebExchange exchange) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        return remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
    }

    private record MatchedGroup(RateLimitProperties.Group group, PathPattern pattern) {
    }
}
