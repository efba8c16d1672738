package com.phishnet.store.analytics;

import static org.springframework.data.mongodb.core.query.Criteria.where;

import java.time.Clock;
import java.time.Instant;

import com.phishnet.store.analytics.AnalyticsRequests.VerdictCounts;
import com.phishnet.store.platform.security.Caller;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Per-tenant scan counters; the {@code ...Within} methods join the caller's transaction. */
@Service
public class TenantStatsService {

    private final ReactiveMongoTemplate mongo;
    private final Clock clock;

    public TenantStatsService(ReactiveMongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
    }

    public Mono<Void> countScanWithin(Caller caller, String verdictCounter, Instant scannedAt) {
        return mongo.upsert(byTenant(caller.tenantId()), scanCounted(verdictCounter, scannedAt, clock.instant()),
                TenantStats.class).then();
    }

    /** A correction moves one scan between counters; a first correction by an analyst also counts as feedback. */
    public Mono<Void> feedbackWithin(Caller caller, String fromCounter, String toCounter, boolean firstByAnalyst) {
        return mongo.upsert(byTenant(caller.tenantId()), feedbackCounted(fromCounter, toCounter, firstByAnalyst,
                clock.instant()), TenantStats.class).then();
    }

    public Mono<VerdictCounts> counts(Caller caller) {
        return mongo.findOne(byTenant(caller.tenantId()), TenantStats.class)
                .map(stats -> new VerdictCounts(orZero(stats.total()), orZero(stats.clean()), orZero(stats.suspicious()),
                        orZero(stats.malicious()), orZero(stats.feedback()), stats.lastScanAt()))
                .defaultIfEmpty(new VerdictCounts(0, 0, 0, 0, 0, null));
    }

    private static long orZero(Long counter) {
        return counter == null ? 0 : counter;
    }

    static Query byTenant(String tenantId) {
        return Query.query(where(TenantStatsFields.ID).is(tenantId));
    }

    static Update scanCounted(String verdictCounter, Instant scannedAt, Instant now) {
        return new Update()
                .inc(TenantStatsFields.TOTAL, 1)
                .inc(verdictCounter, 1)
                .max(TenantStatsFields.LAST_SCAN_AT, scannedAt)
                .set(TenantStatsFields.UPDATED_AT, now);
    }

    static Update feedbackCounted(String fromCounter, String toCounter, boolean firstByAnalyst, Instant now) {
        Update update = new Update().set(TenantStatsFields.UPDATED_AT, now);
        if (!fromCounter.equals(toCounter)) {
            update.inc(fromCounter, -1).inc(toCounter, 1);
        }
        if (firstByAnalyst) {
            update.inc(TenantStatsFields.FEEDBACK, 1);
        }
        return update;
    }
}
