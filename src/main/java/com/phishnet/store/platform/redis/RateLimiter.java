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
 * request, read what is left of it), and {@link #charge} for a cost of several units in the same window. When Redis
 * cannot answer, an in-memory limiter with the same rules takes over for this instance, and the fallback is counted
 * in metrics.
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

    /**
     * KEYS[1] = counter; ARGV[1] = window in ms, ARGV[2] = cost, ARGV[3] = limit. Charges {@code cost} only when it
     * fits whole ({@code count + cost <= limit}): a refused charge consumes nothing, so a large request refused
     * does not eat the budget of the small ones after it. Returns {count after the charge, or what it would have
     * been; ms until the window resets; 1 charged, 0 refused}.
     */
    static final RedisScript<List> COST_SCRIPT = RedisScript.of("""
            local window = tonumber(ARGV[1])
            local cost = tonumber(ARGV[2])
            local current = tonumber(redis.call('GET', KEYS[1]) or '0')
            if current + cost > tonumber(ARGV[3]) then
              local ttl = redis.call('PTTL', KEYS[1])
              if ttl < 0 then
                ttl = window
              end
              return {current + cost, ttl, 0}
            end
            local count = redis.call('INCRBY', KEYS[1], cost)
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < 0 then
              redis.call('PEXPIRE', KEYS[1], window)
              ttl = window
            end
            return {count, ttl, 1}
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

    /**
     * Charges {@code cost} units (such as the items of a bulk request) to the same window {@link #acquire} counts
     * requests in, atomically: when {@code count + cost} would pass the limit nothing is charged and the decision
     * says when the window resets. The single-unit {@link #acquire} keeps counting refused requests, as before.
     */
    public Mono<Decision> charge(String key, int cost, int limit, Duration window) {
        if (cost < 1) {
            throw new IllegalArgumentException("cost must be at least 1: " + cost);
        }
        return redis.script(CACHE, COST_SCRIPT, List.of("rl:" + key),
                        List.of(Long.toString(window.toMillis()), Integer.toString(cost), Integer.toString(limit)))
                .map(result -> result.map(reply -> new Decision(((Number) reply.get(2)).longValue() == 1,
                                ((Number) reply.get(0)).longValue(), ((Number) reply.get(2)).longValue() == 1
                                        ? Duration.ZERO : Duration.ofMillis(((Number) reply.get(1)).longValue()), false))
                        .orElseGet(() -> chargeLocally(key, cost, limit, window)))
                .doOnNext(decision -> meters.counter(DECISIONS,
                        "mode", decision.local() ? "local" : "redis",
                        "outcome", decision.allowed() ? "allowed" : "limited").increment());
    }

    /** {@link #charge} in this instance's memory while Redis is unavailable: the same all-or-nothing rule. */
    Decision chargeLocally(String key, int cost, int limit, Duration window) {
        Instant now = clock.instant();
        boolean[] charged = new boolean[1];
        long[] wouldBe = new long[1];
        LocalWindow current = local.compute(key, (ignored, existing) -> {
            LocalWindow live = existing == null || !now.isBefore(existing.endsAt()) ? new LocalWindow(now.plus(window), 0)
                    : existing;
            wouldBe[0] = live.count() + cost;
            charged[0] = wouldBe[0] <= limit;
            return charged[0] ? new LocalWindow(live.endsAt(), wouldBe[0]) : live;
        });
        return new Decision(charged[0], wouldBe[0], charged[0] ? Duration.ZERO : Duration.between(now, current.endsAt()),
                true);
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
