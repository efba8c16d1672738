package com.phishnet.store.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import com.phishnet.store.support.RenderedBson;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The backup queries and updates as rendered BSON (DocumentShapesTest checks the records against the validator). */
class BackupQueriesTest {

    private static final Instant AT = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void aListFiltersByStateAndAHalfOpenTimeRangeNewestFirst() {
        var query = BackupRepository.listed(new BackupRepository.Filter(BackupState.COMPLETED, AT, AT.plusSeconds(3600)));

        assertThat(RenderedBson.filter(query, Backup.class)).isEqualTo("{\"state\": \"COMPLETED\", \"requestedAt\": "
                + "{\"$gte\": {\"$date\": \"2026-12-06T10:00:00Z\"}, \"$lt\": {\"$date\": \"2026-12-06T11:00:00Z\"}}}");
        assertThat(query.getSortObject()).isEqualTo(new Document("requestedAt", -1).append("_id", -1));
    }

    @Test
    void anUnfilteredListMatchesEverything() {
        assertThat(RenderedBson.filter(BackupRepository.listed(new BackupRepository.Filter(null, null, null)), Backup.class))
                .isEqualTo("{}");
    }

    @Test
    void onlyARunningBackupCompletesOrFails() {
        assertThat(RenderedBson.filter(BackupRepository.running("b-1"), Backup.class))
                .isEqualTo("{\"_id\": \"b-1\", \"state\": \"RUNNING\"}");
    }

    @Test
    void completingWritesNoNull() {
        Backup done = completed(null);

        Document update = Document.parse(RenderedBson.update(BackupRepository.completed(done), Backup.class));
        Document set = update.get("$set", Document.class);

        assertThat(set).doesNotContainKey("encryptionKeyId").doesNotContainValue(null);
        assertThat(set.getString("state")).isEqualTo("COMPLETED");
        assertThat(set.getList("contents", Document.class).get(0)).containsEntry("name", "scan_results");
    }

    @Test
    void anEncryptedBackupRecordsItsKeyId() {
        Document set = Document.parse(RenderedBson.update(BackupRepository.completed(completed("backup-1")), Backup.class))
                .get("$set", Document.class);

        assertThat(set).containsEntry("encryptionKeyId", "backup-1");
    }

    private static Backup completed(String encryptionKeyId) {
        return new Backup("b-1", BackupState.COMPLETED, BackupTrigger.MANUAL, "ops-1", "ops", AT, AT.plusSeconds(30),
                "before upgrade", null, null, "phishnet", new Backup.ClusterTime(1_765_015_200L, 7),
                List.of(new Backup.Content("scan_results", 12, 3456, "0".repeat(64))), List.of("k-1"), 12L, 4096L,
                "f".repeat(64), "/var/backups/b-1.tar", encryptionKeyId, null, null);
    }
}
