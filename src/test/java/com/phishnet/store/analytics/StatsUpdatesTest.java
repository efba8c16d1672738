package com.phishnet.store.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import com.phishnet.store.scans.Verdict;
import com.phishnet.store.support.RenderedBson;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The counter updates of ingestion and feedback, as sent to the server. */
class StatsUpdatesTest {

    private final Instant scannedAt = Instant.parse("2026-11-23T09:00:00Z");
    private final Instant now = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void aScanIncrementsTotalAndItsVerdictAndKeepsTheLatestTime() {
        Document update = Document.parse(RenderedBson.update(TenantStatsRepository.scanCounted(Verdict.MALICIOUS, scannedAt, now),
                TenantStats.class));

        assertThat(update.get("$inc", Document.class)).containsEntry("total", 1).containsEntry("malicious", 1);
        assertThat(update.get("$max", Document.class)).containsKey("lastScanAt");
        assertThat(update.get("$set", Document.class)).containsKey("updatedAt");
    }

    @Test
    void aCorrectionMovesOneScanBetweenCountersAndCountsFirstFeedbackOnly() {
        Document first = Document.parse(RenderedBson.update(
                TenantStatsRepository.feedbackCounted(Verdict.MALICIOUS, Verdict.CLEAN, true, now), TenantStats.class));
        Document again = Document.parse(RenderedBson.update(
                TenantStatsRepository.feedbackCounted(Verdict.CLEAN, Verdict.CLEAN, false, now), TenantStats.class));

        assertThat(first.get("$inc", Document.class)).containsEntry("malicious", -1).containsEntry("clean", 1)
                .containsEntry("feedback", 1);
        assertThat(again).doesNotContainKey("$inc");
    }

    @Test
    void eachVerdictCountsIntoItsOwnCounter() {
        assertThat(RenderedBson.update(TenantStatsRepository.scanCounted(Verdict.CLEAN, scannedAt, now), TenantStats.class))
                .isEqualTo("{\"$inc\": {\"total\": 1, \"clean\": 1}, \"$max\": {\"lastScanAt\": {\"$date\": \"2026-11-23T09:00:00Z\"}}, "
                        + "\"$set\": {\"updatedAt\": {\"$date\": \"2026-11-23T10:00:00Z\"}}}");
        assertThat(RenderedBson.update(TenantStatsRepository.scanCounted(Verdict.SUSPICIOUS, scannedAt, now),
                TenantStats.class)).contains("\"$inc\": {\"total\": 1, \"suspicious\": 1}");
    }

    @Test
    void aCorrectionRendersTheTimeFirstThenTheMovedCounters() {
        assertThat(RenderedBson.update(TenantStatsRepository.feedbackCounted(Verdict.SUSPICIOUS, Verdict.MALICIOUS, true, now),
                TenantStats.class)).isEqualTo("{\"$set\": {\"updatedAt\": {\"$date\": \"2026-11-23T10:00:00Z\"}}, "
                        + "\"$inc\": {\"suspicious\": -1, \"malicious\": 1, \"feedback\": 1}}");
    }

    @Test
    void aTenantDocumentWithOnlySomeCountersStillReads() {
        // After a first clean scan, the upsert created only total and clean.
        TenantStats stats = RenderedBson.read(TenantStats.class, Document.parse("{_id: 'acme', total: 1, clean: 1}"));

        assertThat(stats.total()).isEqualTo(1L);
        assertThat(stats.malicious()).isNull();
    }

    @Test
    void tenantCountersLiveInOneDocumentPerTenant() {
        assertThat(RenderedBson.filter(TenantStatsRepository.byTenant("acme"), TenantStats.class))
                .isEqualTo("{\"_id\": \"acme\"}");
    }
}
