package com.phishnet.store.analytics;

import static org.springframework.data.mongodb.core.query.Criteria.where;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.phishnet.store.analytics.AnalyticsRequests.DailyCount;
import com.phishnet.store.scans.ScanFields;
import com.phishnet.store.scans.Verdict;
import org.bson.Document;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.aggregation.Aggregation;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * Reactive access to a tenant's statistics: its counters in {@code tenant_stats}, and the daily series aggregated
 * from its {@code scan_results}. Every method takes the tenant and filters by it first.
 */
@Repository
class TenantStatsRepository {

    private final ReactiveMongoTemplate mongo;

    TenantStatsRepository(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** Counts a scan, creating the tenant's document with its first scan. */
    Mono<Void> countScan(String tenantId, Verdict verdict, Instant scannedAt, Instant now) {
        return mongo.upsert(byTenant(tenantId), scanCounted(verdict, scannedAt, now), TenantStats.class).then();
    }

    Mono<Void> countFeedback(String tenantId, Verdict from, Verdict to, boolean firstByAnalyst, Instant now) {
        return mongo.upsert(byTenant(tenantId), feedbackCounted(from, to, firstByAnalyst, now), TenantStats.class).then();
    }

    Mono<TenantStats> find(String tenantId) {
        return mongo.findOne(byTenant(tenantId), TenantStats.class);
    }

    /** Scans per UTC day and effective verdict in [from, to), of one user when {@code userId} is given. */
    Mono<List<DailyCount>> daily(String tenantId, Instant from, Instant to, String userId) {
        return mongo.aggregate(dailyAggregation(tenantId, from, to, userId), ScanFields.COLLECTION, Document.class)
                .collectList()
                .map(TenantStatsRepository::toDailyCounts);
    }

    static Query byTenant(String tenantId) {
        return Query.query(where(TenantStatsFields.ID).is(tenantId));
    }

    static Update scanCounted(Verdict verdict, Instant scannedAt, Instant now) {
        return new Update()
                .inc(TenantStatsFields.TOTAL, 1)
                .inc(counter(verdict), 1)
                .max(TenantStatsFields.LAST_SCAN_AT, scannedAt)
                .set(TenantStatsFields.UPDATED_AT, now);
    }

    /** A correction moves one scan between counters; a first correction by an analyst also counts as feedback. */
    static Update feedbackCounted(Verdict from, Verdict to, boolean firstByAnalyst, Instant now) {
        Update update = new Update().set(TenantStatsFields.UPDATED_AT, now);
        if (from != to) {
            update.inc(counter(from), -1).inc(counter(to), 1);
        }
        if (firstByAnalyst) {
            update.inc(TenantStatsFields.FEEDBACK, 1);
        }
        return update;
    }

    private static String counter(Verdict verdict) {
        return switch (verdict) {
            case CLEAN -> TenantStatsFields.CLEAN;
            case SUSPICIOUS -> TenantStatsFields.SUSPICIOUS;
            case MALICIOUS -> TenantStatsFields.MALICIOUS;
        };
    }

    static Aggregation dailyAggregation(String tenantId, Instant from, Instant to, String userId) {
        Document match = new Document(ScanFields.TENANT_ID, tenantId);
        if (userId != null) {
            match.append(ScanFields.USER_ID, userId);
        }
        match.append(ScanFields.SCANNED_AT, new Document("$gte", Date.from(from)).append("$lt", Date.from(to)));
        return Aggregation.newAggregation(
                Aggregation.stage(new Document("$match", match)),
                Aggregation.stage(new Document("$group", new Document("_id", new Document("day",
                        new Document("$dateTrunc", new Document("date", "$" + ScanFields.SCANNED_AT).append("unit", "day")
                                .append("timezone", "UTC")))
                        .append("verdict", "$" + ScanFields.EFFECTIVE_VERDICT))
                        .append("count", new Document("$sum", 1)))),
                Aggregation.stage(new Document("$sort", new Document("_id.day", 1))));
    }

    static List<DailyCount> toDailyCounts(List<Document> groups) {
        Map<LocalDate, Map<Verdict, Long>> byDay = new TreeMap<>();
        for (Document group : groups) {
            Document id = group.get("_id", Document.class);
            LocalDate day = id.getDate("day").toInstant().atZone(ZoneOffset.UTC).toLocalDate();
            byDay.computeIfAbsent(day, ignored -> new EnumMap<>(Verdict.class))
                    .merge(Verdict.valueOf(id.getString("verdict")), ((Number) group.get("count")).longValue(), Long::sum);
        }
        List<DailyCount> days = new ArrayList<>();
        byDay.forEach((day, counts) -> days.add(new DailyCount(day, counts.getOrDefault(Verdict.CLEAN, 0L),
                counts.getOrDefault(Verdict.SUSPICIOUS, 0L), counts.getOrDefault(Verdict.MALICIOUS, 0L))));
        return days;
    }
}
