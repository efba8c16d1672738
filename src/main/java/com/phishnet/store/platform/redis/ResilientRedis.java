package com.phishnet.store.platform.redis;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Every Redis call of the service goes through here: a short timeout and a circuit breaker around each, and
 * no error ever reaches the caller. A failed or refused call answers "nothing" (a miss), so callers fall back
 * to MongoDB with unchanged results and only higher latency. When Redis is back, the breaker's half-open
 * probes close it by itself. Hits, misses and errors are counted per cache; the breaker's state is a gauge.
 */
@Component
public class ResilientRedis {

    public static final String BREAKER = "redis";
    /** Counter of cache calls, tags {@code cache} and {@code result}: hit, miss, error, bypassed (breaker open). */
    public static final String REQUESTS = "phishnet.cache.requests";
    private static final Logger log = LoggerFactory.getLogger(ResilientRedis.class);

    private final ReactiveStringRedisTemplate redis;
    private final CircuitBreaker breaker;
    private final Duration timeout;
    private final MeterRegistry meters;

    public ResilientRedis(ReactiveStringRedisTemplate redis, CacheProperties properties, MeterRegistry meters) {
        this.redis = redis;
        this.timeout = properties.commandTimeout();
        this.meters = meters;
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .failureRateThreshold(properties.failureRateThreshold())
                .slidingWindowSize(properties.slidingWindowSize())
                .minimumNumberOfCalls(properties.minimumCalls())
                .waitDurationInOpenState(properties.openFor())
                .permittedNumberOfCallsInHalfOpenState(properties.callsWhenHalfOpen())
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build());
        this.breaker = registry.circuitBreaker(BREAKER);
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
        breaker.getEventPublisher().onStateTransition(event ->
                log.warn("Redis circuit breaker: {}", event.getStateTransition()));
    }

    /** The cached value, or empty on a miss, an error or an open breaker. */
    public Mono<Optional<String>> get(String cache, String key) {
        return guarded(cache, () -> redis.opsForValue().get(key))
                .doOnNext(value -> count(cache, value.isPresent() ? "hit" : "miss"));
    }

    /** Stores with a time to live; a failure is counted and otherwise ignored. */
    public Mono<Void> set(String cache, String key, String value, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            return Mono.empty();
        }
        return guarded(cache, () -> redis.opsForValue().set(key, value, ttl)).then();
    }

    /** Removes an entry (invalidation after a write); a failure is counted and otherwise ignored. */
    public Mono<Void> delete(String cache, String key) {
        return guarded(cache, () -> redis.delete(key)).then();
    }

    /** Removes entries and says how many existed; 0 when Redis cannot answer (a failure is counted, not raised). */
    public Mono<Long> deleteCounting(String cache, String... keys) {
        return guarded(cache, () -> redis.delete(keys)).map(deleted -> deleted.orElse(0L));
    }

    /** Runs a Lua script atomically in Redis; empty when Redis cannot answer. */
    public <T> Mono<Optional<T>> script(String cache, RedisScript<T> script, List<String> keys, List<String> args) {
        return guarded(cache, () -> redis.execute(script, keys, args).next());
    }

    /** Remaining time to live of a key; for tests and diagnostics. */
    public Mono<Optional<Duration>> ttl(String key) {
        return guarded("diagnostics", () -> redis.getExpire(key));
    }

    public CircuitBreaker.State state() {
        return breaker.getState();
    }

    /** Whether Redis answers a PING now; bypasses the breaker, for health. */
    public Mono<Boolean> ping() {
        return Mono.usingWhen(Mono.fromSupplier(() -> redis.getConnectionFactory().getReactiveConnection()),
                        connection -> connection.ping().map("PONG"::equalsIgnoreCase),
                        connection -> connection.closeLater())
                .timeout(timeout.multipliedBy(4))
                .onErrorReturn(false);
    }

    private <T> Mono<Optional<T>> guarded(String cache, Supplier<Mono<T>> call) {
        return Mono.defer(call)
                .timeout(timeout)
                .transformDeferred(CircuitBreakerOperator.of(breaker))
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .onErrorResume(failure -> {
                    count(cache, failure instanceof CallNotPermittedException ? "bypassed" : "error");
                    return Mono.just(Optional.empty());
                });
    }

    private void count(String cache, String result) {
        meters.counter(REQUESTS, "cache", cache, "result", result).increment();
    }
}
