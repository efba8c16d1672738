package com.phishnet.store.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import com.phishnet.store.analytics.AnalyticsRequests.FeedbackAgreement;
import com.phishnet.store.analytics.AnalyticsRequests.FeedbackAgreementReport;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import org.springframework.data.mongodb.core.aggregation.Aggregation;

/** The BSON of the feedback agreement aggregation, how its groups are read, and how they are cached. */
class FeedbackAgreementQueriesTest {

    private final Instant from = Instant.parse("2026-11-01T00:00:00Z");
    private final Instant to = Instant.parse("2026-11-23T00:00:00Z");

    private List<Document> pipeline() {
        return TenantStatsRepository.feedbackAgreementAggregation("acme", from, to, 1001)
                .toPipeline(Aggregation.DEFAULT_CONTEXT);
    }

    @Test
    void feedbackIsMatchedByTenantAndHalfOpenCreationTimeAsFeedbackTenantCreatedIsKeyed() {
        assertThat(pipeline().get(0).toJson()).isEqualTo("{\"$match\": {\"tenantId\": \"acme\", \"createdAt\": "
                + "{\"$gte\": {\"$date\": \"2026-11-01T00:00:00Z\"}, \"$lt\": {\"$date\": \"2026-11-23T00:00:00Z\"}}}}");
    }

    @Test
    void groupsAreModelVersionAndOriginalVerdictWithUnknownForMissingCopies() {
        Document id = pipeline().get(1).get("$group", Document.class).get("_id", Document.class);

        assertThat(id.toJson()).isEqualTo("{\"modelVersion\": {\"$ifNull\": [\"$modelVersion\", \"unknown\"]}, "
                + "\"verdict\": {\"$ifNull\": [\"$scanVerdict\", \"unknown\"]}}");
    }

    @Test
    void agreementIsTheCorrectedVerdictEqualToTheOriginalOne() {
        Document group = pipeline().get(1).get("$group", Document.class);

        assertThat(group.get("agreed", Document.class).toJson()).isEqualTo(
                "{\"$sum\": {\"$cond\": [{\"$eq\": [\"$correctedVerdict\", \"$scanVerdict\"]}, 1, 0]}}");
        assertThat(group.get("feedback", Document.class).toJson()).isEqualTo("{\"$sum\": 1}");
    }

    @Test
    void flagsAreCountedByTheirStoredValuesAndRatingsOnlyWherePresent() {
        Document group = pipeline().get(1).get("$group", Document.class);

        assertThat(group.get("falsePositive", Document.class).toJson()).isEqualTo(
                "{\"$sum\": {\"$cond\": [{\"$eq\": [\"$flag\", \"false_positive\"]}, 1, 0]}}");
        assertThat(group.get("falseNegative", Document.class).toJson()).contains("\"false_negative\"");
        assertThat(group.get("needsReview", Document.class).toJson()).contains("\"needs_review\"");
        assertThat(group.get("rated", Document.class).toJson()).isEqualTo(
                "{\"$sum\": {\"$cond\": [{\"$isNumber\": \"$rating\"}, 1, 0]}}");
        assertThat(group.get("ratingSum", Document.class).toJson()).isEqualTo("{\"$sum\": \"$rating\"}");
    }

    @Test
    void groupsAreSortedAndBounded() {
        assertThat(pipeline().get(2).toJson()).isEqualTo("{\"$sort\": {\"_id.modelVersion\": 1, \"_id.verdict\": 1}}");
        assertThat(pipeline().get(3).toJson()).isEqualTo("{\"$limit\": 1001}");
        assertThat(pipeline()).hasSize(4);
    }

    @Test
    void aGroupBecomesRatesAndAverages() {
        FeedbackAgreement row = TenantStatsRepository.toFeedbackAgreement(Document.parse("{_id: {modelVersion: 'm-1', "
                + "verdict: 'MALICIOUS'}, feedback: 4, agreed: 3, falsePositive: 1, falseNegative: 0, needsReview: 2, "
                + "rated: 2, ratingSum: 7}"));

        assertThat(row).isEqualTo(new FeedbackAgreement("m-1", "MALICIOUS", 4, 3, 0.75, 1, 0, 2, 2, 3.5));
    }

    @Test
    void anUnknownOriginalVerdictHasNoAgreementRateAndNoRatingsNoAverage() {
        FeedbackAgreement row = TenantStatsRepository.toFeedbackAgreement(Document.parse("{_id: {modelVersion: 'unknown', "
                + "verdict: 'unknown'}, feedback: 2, agreed: 0, falsePositive: 0, falseNegative: 0, needsReview: 0, "
                + "rated: 0, ratingSum: 0}"));

        assertThat(row.agreementRate()).isNull();
        assertThat(row.averageRating()).isNull();
        assertThat(row.feedback()).isEqualTo(2);
    }

    @Test
    void aReportSurvivesTheCacheEncodingModelVersionsWithSeparatorsIncluded() {
        FeedbackAgreementReport report = new FeedbackAgreementReport(from, to, List.of(
                new FeedbackAgreement("m,1\nx|y%", "CLEAN", 3, 2, 2.0 / 3, 0, 1, 0, 1, 5.0),
                new FeedbackAgreement("unknown", "unknown", 1, 0, null, 0, 0, 1, 0, null)), true);

        assertThat(StatsCache.decodeAgreement(from, to, StatsCache.encodeAgreement(report))).isEqualTo(report);
    }

    @Test
    void anEmptyReportSurvivesTheCacheEncoding() {
        FeedbackAgreementReport empty = new FeedbackAgreementReport(from, to, List.of(), false);

        assertThat(StatsCache.decodeAgreement(from, to, StatsCache.encodeAgreement(empty))).isEqualTo(empty);
    }

    @Test
    void cacheKeysNameTheTenantAndTheExactRange() {
        assertThat(StatsCache.feedbackKey("acme", from, to)).isEqualTo(
                "stats:feedback:acme:2026-11-01T00:00:00Z:2026-11-23T00:00:00Z");
        assertThat(StatsCache.feedbackKey("acme", from, to)).isNotEqualTo(StatsCache.feedbackKey("globex", from, to));
    }
}
