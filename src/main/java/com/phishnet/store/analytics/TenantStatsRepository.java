package com.phishnet.store.analytics;

import static org.springframework.data.mongodb.core.query.Criteria.where;

import java.time.Duration;
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
import com.phishnet.store.analytics.AnalyticsRequests.FeedbackAgreement;
import com.phishnet.store.scans.FeedbackFields;
import com.phishnet.store.scans.FeedbackFlag;
import com.phishnet.store.scans.ScanFields;
import com.phishnet.store.scans.Verdict;
import org.bson.Document;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.aggregation.Aggregation;
import org.springframework.data.mongodb.core.aggregation.AggregationOptions;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * Reactive access to a tenant's statistics: its counters in {@code tenant_stats}, the daily series aggregated
 * from its {@code scan_results}, and feedback agreement aggregated from its {@code feedback}. Every method takes
 * the tenant and filters by it first.
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

    /** Groups of feedback agreement in [from, to), at most {@code limit} of them (one more tells of truncation). */
    Mono<List<FeedbackAgreement>> feedbackAgreement(String tenantId, Instant from, Instant to, int limit) {
        return mongo.aggregate(feedbackAgreementAggregation(tenantId, from, to, limit), FeedbackFields.COLLECTION,
                        Document.class)
                .map(TenantStatsRepository::toFeedbackAgreement)
                .collectList();
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

    /**
     * A year of a large tenant's scans is a long aggregation: the server gives up after this, rather than the
     * request waiting for the socket timeout while the server goes on.
     */
    static final AggregationOptions ON_THE_REQUEST_PATH = AggregationOptions.builder().maxTime(Duration.ofSeconds(20)).build();

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
                Aggregation.stage(new Document("$sort", new Document("_id.day", 1))))
                .withOptions(ON_THE_REQUEST_PATH);
    }

    /**
     * Feedback created in [from, to), grouped by the scan's model version and original verdict (both copied onto the
     * feedback when it was written; "unknown" where missing). The $match is served by feedback_tenant_created (V002).
     * Agreement: the corrected verdict equals the original one; a missing original verdict never agrees.
     */
    static Aggregation feedbackAgreementAggregation(String tenantId, Instant from, Instant to, int limit) {
        Document match = new Document(FeedbackFields.TENANT_ID, tenantId)
                .append(FeedbackFields.CREATED_AT, new Document("$gte", Date.from(from)).append("$lt", Date.from(to)));
        Document group = new Document("_id", new Document("modelVersion",
                        new Document("$ifNull", List.of("$" + FeedbackFields.MODEL_VERSION, FeedbackFields.UNKNOWN)))
                        .append("verdict",
                                new Document("$ifNull", List.of("$" + FeedbackFields.SCAN_VERDICT, FeedbackFields.UNKNOWN))))
                .append("feedback", new Document("$sum", 1))
                .append("agreed", countWhere(new Document("$eq",
                        List.of("$" + FeedbackFields.CORRECTED_VERDICT, "$" + FeedbackFields.SCAN_VERDICT))))
                .append("falsePositive", countWhere(flagIs(FeedbackFlag.FALSE_POSITIVE)))
                .append("falseNegative", countWhere(flagIs(FeedbackFlag.FALSE_NEGATIVE)))
                .append("needsReview", countWhere(flagIs(FeedbackFlag.NEEDS_REVIEW)))
                .append("rated", countWhere(new Document("$isNumber", "$" + FeedbackFields.RATING)))
                // $sum skips missing and non-numeric values.
                .append("ratingSum", new Document("$sum", "$" + FeedbackFields.RATING));
        return Aggregation.newAggregation(
                Aggregation.stage(new Document("$match", match)),
                Aggregation.stage(new Document("$group", group)),
                Aggregation.stage(new Document("$sort", new Document("_id.modelVersion", 1).append("_id.verdict", 1))),
                Aggregation.stage(new Document("$limit", limit)))
                .withOptions(ON_THE_REQUEST_PATH);
    }

    private static Document countWhere(Document condition) {
        return new Document("$sum", new Document("$cond", List.of(condition, 1, 0)));
    }

    private static Document flagIs(FeedbackFlag flag) {
        return new Document("$eq", List.of("$" + FeedbackFields.FLAG, flag.value()));
    }

    static FeedbackAgreement toFeedbackAgreement(Document group) {
        Document id = group.get("_id", Document.class);
        String verdict = id.getString("verdict");
        long feedback = number(group, "feedback");
        long agreed = number(group, "agreed");
        long rated = number(group, "rated");
        return new FeedbackAgreement(id.getString("modelVersion"), verdict, feedback, agreed,
                FeedbackFields.UNKNOWN.equals(verdict) || feedback == 0 ? null : (double) agreed / feedback,
                number(group, "falsePositive"), number(group, "falseNegative"), number(group, "needsReview"), rated,
                rated == 0 ? null : ((Number) group.get("ratingSum")).doubleValue() / rated);
    }

    private static long number(Document group, String field) {
        return ((Number) group.get(field)).longValue();
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
