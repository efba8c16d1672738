package com.phishnet.store.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The BSON of the system statistics, as sent to the server, and how their answers are read. */
class AnalyticsQueriesTest {

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
