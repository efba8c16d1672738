package com.phishnet.store.analytics;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import com.phishnet.store.analytics.AnalyticsRequests.VerdictCounts;
import com.phishnet.store.platform.redis.ResilientRedis;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Per-tenant and per-user counters, cached briefly in Redis. Writes that change them (ingestion, feedback)
 * evict both after they commit; the short TTL bounds what a lost eviction could leave stale. Keys always
 * include the tenant, and callers check permissions before asking.
 */
@Component
public class StatsCache {

    static final String CACHE = "stats";
    static final Duration TTL = Duration.ofSeconds(10);

    private final ResilientRedis redis;

    public StatsCache(ResilientRedis redis) {
        this.redis = redis;
    }

    public Mono<VerdictCounts> tenant(String tenantId, Supplier<Mono<VerdictCounts>> loader) {
        return cached(tenantKey(tenantId), loader);
    }

    public Mono<VerdictCounts> user(String tenantId, String userId, Supplier<Mono<VerdictCounts>> loader) {
        return cached(userKey(tenantId, userId), loader);
    }

    Mono<Void> evict(String tenantId, String userId) {
        return redis.delete(CACHE, tenantKey(tenantId)).then(redis.delete(CACHE, userKey(tenantId, userId)));
    }

    /** Drops the user's cached counters (GDPR erasure); how many entries there were. */
    Mono<Long> dropUser(String tenantId, String userId) {
        return redis.deleteCounting(CACHE, userKey(tenantId, userId));
    }

    private Mono<VerdictCounts> cached(String key, Supplier<Mono<VerdictCounts>> loader) {
        return redis.get(CACHE, key).flatMap(hit -> hit.map(value -> Mono.just(decode(value)))
                .orElseGet(() -> Mono.defer(loader).flatMap(counts -> redis.set(CACHE, key, encode(counts), TTL)
                        .thenReturn(counts))));
    }

    static String tenantKey(String tenantId) {
        return "stats:tenant:" + tenantId;
    }

    static String userKey(String tenantId, String userId) {
        return "stats:user:" + tenantId + ":" + userId;
    }

    static String encode(VerdictCounts counts) {
        return counts.total() + "," + counts.clean() + "," + counts.suspicious() + "," + counts.malicious() + ","
                + counts.feedback() + "," + (counts.lastScanAt() == null ? "-" : counts.lastScanAt().toEpochMilli());
    }

    static VerdictCounts decode(String value) {
        String[] parts = value.split(",");
        return new VerdictCounts(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]),
                Long.parseLong(parts[3]), Long.parseLong(parts[4]),
                "-".equals(parts[5]) ? null : Instant.ofEpochMilli(Long.parseLong(parts[5])));
    }
}
