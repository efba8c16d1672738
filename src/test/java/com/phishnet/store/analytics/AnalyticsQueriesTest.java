package com.phishnet.store.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import org.springframework.data.mongodb.core.aggregation.Aggregation;

/** The BSON of the daily series and the system statistics, as sent to the server, and how their answers are read. */
class AnalyticsQueriesTest {

    private final Instant from = Instant.parse("2026-11-01T00:00:00Z");
    private final Instant to = Instant.parse("2026-11-23T00:00:00Z");

    @Test
    void statisticsAggregatedOnTheRequestPathHaveAServerSideTimeLimit() {
        assertThat(TenantStatsRepository.dailyAggregation("acme", from, to, null).getOptions().getMaxTime())
                .isEqualTo(java.time.Duration.ofSeconds(20));
        assertThat(TenantStatsRepository.feedbackAgreementAggregation("acme", from, to, 1001).getOptions().getMaxTime())
                .isEqualTo(java.time.Duration.ofSeconds(20));
    }

    @Test
    void theDailySeriesGroupsByUtcDayAndEffectiveVerdictWithinTheTenant() {
        Aggregation aggregation = TenantStatsRepository.dailyAggregation("acme", from, to, null);
        List<Document> pipeline = aggregation.toPipeline(Aggregation.DEFAULT_CONTEXT);

        assertThat(pipeline.get(0).toJson()).isEqualTo("{\"$match\": {\"tenantId\": \"acme\", \"scannedAt\": "
                + "{\"$gte\": {\"$date\": \"2026-11-01T00:00:00Z\"}, \"$lt\": {\"$date\": \"2026-11-23T00:00:00Z\"}}}}");
        assertThat(pipeline.get(1).toJson()).isEqualTo("{\"$group\": {\"_id\": {\"day\": {\"$dateTrunc\": "
                + "{\"date\": \"$scannedAt\", \"unit\": \"day\", \"timezone\": \"UTC\"}}, \"verdict\": \"$effectiveVerdict\"}, "
                + "\"count\": {\"$sum\": 1}}}");
        assertThat(pipeline.get(2).toJson()).isEqualTo("{\"$sort\": {\"_id.day\": 1}}");
    }

    @Test
    void aUsersDailySeriesMatchesTheUserAfterTheTenant() {
        List<Document> pipeline = TenantStatsRepository.dailyAggregation("acme", from, to, "u-1")
                .toPipeline(Aggregation.DEFAULT_CONTEXT);

        assertThat(pipeline.get(0).toJson()).isEqualTo("{\"$match\": {\"tenantId\": \"acme\", \"userId\": \"u-1\", "
                + "\"scannedAt\": {\"$gte\": {\"$date\": \"2026-11-01T00:00:00Z\"}, \"$lt\": {\"$date\": \"2026-11-23T00:00:00Z\"}}}}");
    }

    @Test
    void dailyGroupsBecomeOneRowPerDay() {
        List<Document> groups = List.of(
                Document.parse("{_id: {day: {$date: '2026-11-02T00:00:00Z'}, verdict: 'CLEAN'}, count: 5}"),
                Document.parse("{_id: {day: {$date: '2026-11-01T00:00:00Z'}, verdict: 'MALICIOUS'}, count: 2}"),
                Document.parse("{_id: {day: {$date: '2026-11-02T00:00:00Z'}, verdict: 'SUSPICIOUS'}, count: 1}"));

        var days = TenantStatsRepository.toDailyCounts(groups);

        assertThat(days).hasSize(2);
        assertThat(days.get(0).day()).hasToString("2026-11-01");
        assertThat(days.get(0).malicious()).isEqualTo(2);
        assertThat(days.get(1).total()).isEqualTo(6);
    }

    @Test
    void collectionStatisticsAskForStorageFiguresAndTheExactCount() {
        assertThat(SystemStatsRepository.collStatsPipeline()).extracting(Document::toJson)
                .containsExactly("{\"$collStats\": {\"storageStats\": {}, \"count\": {}}}");
    }

    @Test
    void collectionsThatCannotBeCountedAreAskedForStorageFiguresOnly() {
        assertThat(SystemStatsRepository.storageOnlyPipeline()).extracting(Document::toJson)
                .containsExactly("{\"$collStats\": {\"storageStats\": {}}}");
    }

    @Test
    void theCountStagesFigureWinsOverTheStorageEstimate() {
        var stats = SystemStatsRepository.toStats("scan_results", Document.parse("{storageStats: {count: 7, size: 700, "
                + "storageSize: 4096, totalIndexSize: 8192, indexSizes: {_id_: 4096, scans_tenant_scanned: 4096}}, "
                + "count: {count: 9}}"));

        assertThat(stats).isEqualTo(new AnalyticsRequests.CollectionStats("scan_results", 9, 700, 4096, 8192,
                java.util.Map.of("_id_", 4096L, "scans_tenant_scanned", 4096L)));
    }

    @Test
    void withoutTheCountStageTheStorageCountIsUsed() {
        var stats = SystemStatsRepository.toStats("system_metrics", Document.parse("{storageStats: {count: 3, size: 30}}"));

        assertThat(stats.count()).isEqualTo(3);
        assertThat(stats.storageBytes()).isZero();
        assertThat(stats.indexSizes()).isEmpty();
    }
}
