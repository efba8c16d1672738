package com.phishnet.store.platform.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Fixed-window request counting, atomic in Redis (one Lua script: increment, start the window on the first
 * request, read what is left of it). When Redis cannot answer, an in-memory limiter with the same rules takes
 * over for this instance, and the fallback is counted in metrics.
 */
@Component
public class RateLimiter {

    static final String CACHE = "rate-limit";
    /** Counter of decisions, tags {@code mode} (redis, local) and {@code outcome} (allowed, limited). */
    public static final String DECISIONS = "phishnet.ratelimit.decisions";

    /** KEYS[1] = counter; ARGV[1] = window in ms. Returns {count in this window, ms until it resets}. */
    static final RedisScript<List> WINDOW_SCRIPT = RedisScript.of("""
            local count = redis.call('INCR', KEYS[1])
            if count == 1 then
              redis.call('PEXPIRE', KEYS[1], ARGV[1])
            end
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < 0 then
              redis.call('PEXPIRE', KEYS[1], ARGV[1])
              ttl = tonumber(ARGV[1])
            end
            return {count, ttl}
            """, List.class);

    private final ResilientRedis redis;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<String, LocalWindow> local = new ConcurrentHashMap<>();

    public RateLimiter(ResilientRedis redis, Clock clock, MeterRegistry meters) {
        this.redis = redis;
        this.clock = clock;
        this.meters = meters;
    }

    /** Whether one more request fits; and if not, when the window resets. */
    public record Decision(boolean allowed, long count, Duration retryAfter, boolean local) {
    }

    public Mono<Decision> acquire(String key, int limit, Duration window) {
        return redis.script(CACHE, WINDOW_SCRIPT, List.of("rl:" + key), List.of(Long.toString(window.toMillis())))
                .map(result -> result.map(reply -> decide(((Number) reply.get(0)).longValue(),
                                Duration.ofMillis(((Number) reply.get(1)).longValue()), limit, false))
                        .orElseGet(() -> acquireLocally(key, limit, window)))
                .doOnNext(decision -> meters.counter(DECISIONS,
                        "mode", decision.local() ? "local" : "redis",
                        "outcome", decision.allowed() ? "allowed" : "limited").increment());
    }

    /** The same fixed window, kept in this instance's memory while Redis is unavailable. */
    Decision acquireLocally(String key, int limit, Duration window) {
        Instant now = clock.instant();
        LocalWindow current = local.compute(key, (ignored, existing) ->
                existing == null || !now.isBefore(existing.endsAt()) ? new LocalWindow(now.plus(window), 1)
                        : new LocalWindow(existing.endsAt(), existing.count() + 1));
        if (local.size() > 100_000) {
            local.entrySet().removeIf(entry -> !now.isBefore(entry.getValue().endsAt()));
        }
        return decide(current.count(), Duration.between(now, current.endsAt()), limit, true);
    }

    private static Decision decide(long count, Duration remaining, int limit, boolean local) {
        return new Decision(count <= limit, count, count <= limit ? Duration.ZERO : remaining, local);
    }

    private record LocalWindow(Instant endsAt, long count) {
    }
}
