package com.phishnet.store.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.UpdateDescription;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.api.Test;

class ChangeTest {

    static final String TOKEN = "8269A0F3C1000000052B042C0100296E5A1004";
    static final BsonDocument NAMESPACE = new BsonDocument("db", new BsonString("phishnet"))
            .append("coll", new BsonString("scan_results"));
    static final BsonTimestamp CLUSTER_TIME = new BsonTimestamp(0x69A0F3C1, 5);

    static ChangeStreamDocument<Document> event(String operation, BsonDocument namespace, Document fullDocument,
            BsonTimestamp clusterTime, UpdateDescription update, BsonDateTime wallTime) {
        return new ChangeStreamDocument<>(operation, new BsonDocument("_data", new BsonString(TOKEN)), namespace, null, null,
                fullDocument, null, new BsonDocument("_id", new BsonString("s-1")), clusterTime, update, null, null,
                wallTime, null, null);
    }

    @Test
    void anInsertCarriesItsTokenCollectionDocumentAndWallTime() {
        Document scan = new Document("_id", "s-1").append("tenantId", "acme");
        long wallMillis = 1_772_155_842_123L;

        Change change = Change.of(event("insert", NAMESPACE, scan, CLUSTER_TIME, null, new BsonDateTime(wallMillis)));

        assertThat(change.token()).isEqualTo(ResumeToken.parse(TOKEN));
        assertThat(change.operationType()).isEqualTo("insert");
        assertThat(change.collection()).isEqualTo("scan_results");
        assertThat(change.fullDocument()).isEqualTo(scan);
        assertThat(change.updatedFields()).isEmpty();
        // The wall time keeps its milliseconds, which the cluster time (seconds) would lose.
        assertThat(change.committedAt()).isEqualTo(Instant.ofEpochMilli(wallMillis));
    }

    @Test
    void withoutAWallTimeTheClusterTimeSecondsAreTheCommitTime() {
        Change change = Change.of(event("insert", NAMESPACE, new Document(), CLUSTER_TIME, null, null));

        assertThat(change.committedAt()).isEqualTo(Instant.parse("2026-02-27T01:30:41Z"));
    }

    @Test
    void withNeitherTimeTheCommitTimeIsUnknown() {
        assertThat(Change.of(event("insert", NAMESPACE, new Document(), null, null, null)).committedAt()).isNull();
    }

    @Test
    void anUpdateCarriesTheFieldsItSet() {
        BsonDocument set = new BsonDocument("state", new BsonString("COMPLETED"));

        Change change = Change.of(event("update", NAMESPACE, new Document("state", "COMPLETED"), CLUSTER_TIME,
                new UpdateDescription(List.of("cursor"), set), null));

        assertThat(change.operationType()).isEqualTo("update");
        assertThat(change.updatedFields()).isEqualTo(set);
    }

    @Test
    void anUpdateDescriptionWithoutUpdatedFieldsGivesNone() {
        Change change = Change.of(event("update", NAMESPACE, null, CLUSTER_TIME,
                new UpdateDescription(List.of("cursor"), null), null));

        assertThat(change.updatedFields()).isEmpty();
        assertThat(change.fullDocument()).isNull();
    }

    @Test
    void anEventWithoutANamespaceHasNoCollection() {
        Change change = Change.of(event("invalidate", null, null, CLUSTER_TIME, null, null));

        assertThat(change.collection()).isNull();
        assertThat(change.operationType()).isEqualTo("invalidate");
    }
}
