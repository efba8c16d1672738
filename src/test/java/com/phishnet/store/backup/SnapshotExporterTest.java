package com.phishnet.store.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

import com.mongodb.MongoCommandException;
import com.mongodb.ServerAddress;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

/** What the exporter reads and what it finds in it, without a server. */
class SnapshotExporterTest {

    @Test
    void onlyPlainCollectionsThatHoldDataAreBackedUp() {
        assertThat(SnapshotExporter.isData(entry("scan_results", "collection"))).isTrue();
        assertThat(SnapshotExporter.isData(BsonDocument.parse("{name: 'users'}"))).as("no type: a plain collection").isTrue();
        assertThat(SnapshotExporter.isData(entry("system_metrics", "timeseries"))).isFalse();
        assertThat(SnapshotExporter.isData(entry("active_users", "view"))).isFalse();
        assertThat(SnapshotExporter.isData(entry("system.buckets.system_metrics", "collection"))).isFalse();
        assertThat(SnapshotExporter.isData(entry("mongockChangeLog", "collection"))).isFalse();
        assertThat(SnapshotExporter.isData(entry("backups", "collection"))).isFalse();
        assertThat(SnapshotExporter.isData(entry("leases", "collection"))).isFalse();
        assertThat(SnapshotExporter.isData(entry("stream_tickets", "collection"))).isFalse();
    }

    @Test
    void aTenantExportFiltersEveryCollectionByTenantAndAWholeBackupByNothing() {
        var registry = com.mongodb.MongoClientSettings.getDefaultCodecRegistry();
        assertThat(SnapshotExporter.filter("scan_results", "acme").toBsonDocument(BsonDocument.class, registry))
                .isEqualTo(BsonDocument.parse("{tenantId: 'acme'}"));
        assertThat(SnapshotExporter.filter("scan_results", null).toBsonDocument(BsonDocument.class, registry)).isEmpty();
    }

    @Test
    void aTenantExportTakesItsOwnDocumentOfCollectionsKeyedByTenant() {
        var registry = com.mongodb.MongoClientSettings.getDefaultCodecRegistry();
        for (String collection : java.util.List.of("audit_checkpoints", "retention_policies")) {
            assertThat(SnapshotExporter.filter(collection, "acme").toBsonDocument(BsonDocument.class, registry))
                    .as(collection).isEqualTo(BsonDocument.parse("{_id: 'acme'}"));
        }
    }

    @Test
    void aPlanWithoutSelectionsFiltersByTenantAndASelectionIsTakenAsGiven() {
        var registry = com.mongodb.MongoClientSettings.getDefaultCodecRegistry();
        var selection = new SnapshotExporter.Selection(new org.bson.Document("receivedAt", 1), null, 5);
        var plan = new SnapshotExporter.Plan("a-1", null, java.util.List.of("emails_meta", "feedback"),
                java.util.Map.of("emails_meta", selection));

        assertThat(plan.selection("emails_meta")).isSameAs(selection);
        assertThat(plan.selection("feedback").filter().toBsonDocument(BsonDocument.class, registry)).isEmpty();
        assertThat(plan.selection("feedback").limit()).isZero();
        assertThat(new SnapshotExporter.Plan("b-1", "acme", null).selection("feedback").filter()
                .toBsonDocument(BsonDocument.class, registry)).isEqualTo(BsonDocument.parse("{tenantId: 'acme'}"));
    }

    @Test
    void keyIdsOfSealedValuesAreFoundAtAnyDepthAndNothingElseCounts() {
        BsonDocument credential = new BsonDocument("_id", new BsonString("c-1"))
                .append("accessToken", sealed("k-2024"))
                .append("refreshToken", sealed("k-2025"))
                .append("history", new BsonArray(java.util.List.of(sealed("k-2023"))))
                .append("note", new BsonDocument("keyId", new BsonString("not-sealed")).append("ciphertext", new BsonInt32(1)));
        Set<String> keyIds = new TreeSet<>();

        SnapshotExporter.collectKeyIds(credential, keyIds);

        assertThat(keyIds).containsExactly("k-2023", "k-2024", "k-2025");
    }

    @Test
    void runningOutOfSnapshotHistoryNamesTheLimitAndTheAlternatives() {
        var tooOld = new MongoCommandException(BsonDocument.parse(
                "{ok: 0, code: 239, codeName: 'SnapshotTooOld', errmsg: 'Read timestamp is older than the oldest available timestamp'}"),
                new ServerAddress());
        var other = new MongoCommandException(BsonDocument.parse("{ok: 0, code: 11600, errmsg: 'interrupted'}"),
                new ServerAddress());

        assertThat(SnapshotExporter.windowExceeded(tooOld)).isTrue();
        assertThat(SnapshotExporter.windowExceeded(other)).isFalse();
        var unavailable = new MongoCommandException(BsonDocument.parse(
                "{ok: 0, code: 246, codeName: 'SnapshotUnavailable', errmsg: 'pending collection catalog changes'}"),
                new ServerAddress());
        assertThat(SnapshotExporter.windowExceeded(unavailable)).as("a catalog change is not the window").isFalse();
        assertThat(SnapshotExporter.catalogChanged(unavailable)).isTrue();
        String message = new SnapshotExporter.SnapshotWindowExceededException(Duration.ofSeconds(300),
                Duration.ofSeconds(412), tooOld).getMessage();
        assertThat(message).contains("412 s", "minSnapshotHistoryWindowInSeconds", "300 s", "Atlas",
                "mongodump --oplog", "one tenant at a time");
    }

    private static BsonDocument entry(String name, String type) {
        return new BsonDocument("name", new BsonString(name)).append("type", new BsonString(type));
    }

    private static BsonDocument sealed(String keyId) {
        return new BsonDocument("keyId", new BsonString(keyId)).append("ciphertext", new BsonBinary(new byte[] {1, 2}));
    }

}
