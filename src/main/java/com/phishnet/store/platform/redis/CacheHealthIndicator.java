package com.phishnet.store.platform.redis;

import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The cache layer's health. It is UP whenever the service can answer, which it always can: with Redis down
 * it serves from MongoDB. The details say whether Redis itself is UP or DOWN and what the breaker does, so
 * health shows "Redis DOWN" while the service stays UP. (Boot's own Redis indicator, which would turn the
 * whole service DOWN, is switched off in application.yaml.)
 */
@Component("cacheHealthIndicator")
public class CacheHealthIndicator extends AbstractReactiveHealthIndicator {

    private final ResilientRedis redis;

    public CacheHealthIndicator(ResilientRedis redis) {
        this.redis = redis;
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        return redis.ping().map(up -> builder.up()
                .withDetail("redis", up ? "UP" : "DOWN")
                .withDetail("mode", up ? "cache in use" : "bypassed: every read served by MongoDB")
                .withDetail("circuitBreaker", redis.state().name())
                .build());
    }
}
