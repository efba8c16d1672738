package com.phishnet.store.analytics;

import java.time.Duration;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import com.phishnet.store.analytics.AnalyticsRequests.FeedbackAgreement;
import com.phishnet.store.analytics.AnalyticsRequests.FeedbackAgreementReport;
import com.phishnet.store.analytics.AnalyticsRequests.VerdictCounts;
import com.phishnet.store.platform.redis.ResilientRedis;
import com.phishnet.store.scans.FeedbackFields;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Per-tenant and per-user counters, cached briefly in Redis. Writes that change them (ingestion, feedback)
 * evict both after they commit; the short TTL bounds what a lost eviction could leave stale. Keys always
 * include the tenant, and callers check permissions before asking. Feedback agreement reports are cached per tenant
 * and time range for the same TTL and never evicted: a range has too many keys to find, so a new feedback shows in
 * them within the TTL.
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

    public Mono<FeedbackAgreementReport> feedback(String tenantId, Instant from, Instant to,
            Supplier<Mono<FeedbackAgreementReport>> loader) {
        String key = feedbackKey(tenantId, from, to);
        return redis.get(CACHE, key).flatMap(hit -> hit.map(value -> Mono.just(decodeAgreement(from, to, value)))
                .orElseGet(() -> Mono.defer(loader).flatMap(report -> redis.set(CACHE, key, encodeAgreement(report), TTL)
                        .thenReturn(report))));
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

    /** The instants in ISO form, exact to the nanosecond: two different ranges never share a key. */
    static String feedbackKey(String tenantId, Instant from, Instant to) {
        return "stats:feedback:" + tenantId + ":" + from + ":" + to;
    }

    /**
     * "v1|truncated" then one line per group: model version (URL-encoded, so no separator survives in it), verdict,
     * the counters, and the rating sum ("-" when none was rated).
     */
    static String encodeAgreement(FeedbackAgreementReport report) {
        StringBuilder text = new StringBuilder("v1|").append(report.truncated());
        for (FeedbackAgreement group : report.groups()) {
            text.append('\n').append(URLEncoder.encode(group.modelVersion(), StandardCharsets.UTF_8))
                    .append(',').append(group.verdict()).append(',').append(group.feedback())
                    .append(',').append(group.agreed()).append(',').append(group.falsePositive())
                    .append(',').append(group.falseNegative()).append(',').append(group.needsReview())
                    .append(',').append(group.rated()).append(',')
                    .append(group.averageRating() == null ? "-" : Double.toString(group.averageRating()));
        }
        return text.toString();
    }

    static FeedbackAgreementReport decodeAgreement(Instant from, Instant to, String value) {
        String[] lines = value.split("\n");
        boolean truncated = Boolean.parseBoolean(lines[0].substring("v1|".length()));
        List<FeedbackAgreement> groups = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] parts = lines[i].split(",");
            String verdict = parts[1];
            long feedback = Long.parseLong(parts[2]);
            long agreed = Long.parseLong(parts[3]);
            groups.add(new FeedbackAgreement(URLDecoder.decode(parts[0], StandardCharsets.UTF_8), verdict, feedback,
                    agreed, FeedbackFields.UNKNOWN.equals(verdict) || feedback == 0 ? null
                            : (double) agreed / feedback,
                    Long.parseLong(parts[4]), Long.parseLong(parts[5]), Long.parseLong(parts[6]),
                    Long.parseLong(parts[7]), "-".equals(parts[8]) ? null : Double.valueOf(parts[8])));
        }
        return new FeedbackAgreementReport(from, to, groups, truncated);
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
