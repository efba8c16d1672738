package com.phishnet.store.platform.web;

import java.util.List;
import java.util.Optional;

import com.phishnet.store.platform.redis.RateLimitProperties;
import com.phishnet.store.platform.redis.RateLimiter;
import com.phishnet.store.platform.redis.RateLimiter.Decision;

import org.springframework.http.server.PathContainer;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/** The route groups of {@code phishnet.rate-limit}: which one a request falls in, and one budget's decision. */
public final class RateLimitGroups {

    private final RateLimitProperties properties;
    private final RateLimiter limiter;
    private final List<MatchedGroup> groups;

    public RateLimitGroups(RateLimitProperties properties, RateLimiter limiter) {
        this.properties = properties;
        this.limiter = limiter;
        this.groups = properties.groups().stream()
                .map(group -> new MatchedGroup(group, PathPatternParser.defaultInstance.parse(group.path())))
                .toList();
    }

    public boolean enabled() {
        return properties.enabled();
    }

    /** The first group whose method and path match. */
    public Optional<RateLimitProperties.Group> groupOf(ServerWebExchange exchange) {
        PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
        String method = exchange.getRequest().getMethod().name();
        return groups.stream()
                .filter(matched -> matched.group().method() == null || matched.group().method().isBlank()
                        || matched.group().method().equalsIgnoreCase(method))
                .filter(matched -> matched.pattern().matches(path))
                .map(MatchedGroup::group)
                .findFirst();
    }

    /** Counts one request against a budget; completes empty when it fits, fails with a 429 when it does not. */
    public Mono<Void> acquire(RateLimitProperties.Group group, String key, int limit) {
        return limiter.acquire(group.name() + ":" + key, limit, properties.window()).flatMap(decision -> decision.allowed()
                ? Mono.empty() : Mono.error(refusal(group, decision)));
    }

    /** The group of that name, whatever its path. */
    public Optional<RateLimitProperties.Group> named(String name) {
        return properties.groups().stream().filter(group -> group.name().equals(name)).findFirst();
    }

    /**
     * Charges {@code cost} units to a budget, all or nothing; completes empty when they fit, fails with a 429 (and
     * charges nothing) when they do not.
     */
    public Mono<Void> charge(RateLimitProperties.Group group, String key, int limit, int cost) {
        return limiter.charge(group.name() + ":" + key, cost, limit, properties.window()).flatMap(decision ->
                decision.allowed() ? Mono.empty() : Mono.error(refusal(group, decision)));
    }

    private static ApiException.TooManyRequests refusal(RateLimitProperties.Group group, Decision refused) {
        long seconds = Math.max(1, (refused.retryAfter().toMillis() + 999) / 1000);
        return new ApiException.TooManyRequests("Rate limit of the '" + group.name() + "' routes reached; retry after "
                + seconds + "s.", seconds);
    }

    private record MatchedGroup(RateLimitProperties.Group group, PathPattern pattern) {
    }
}
