package com.phishnet.store.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.mongodb.ReadConcern;
import com.mongodb.TransactionOptions;
import com.mongodb.WriteConcern;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.phishnet.store.scans.FeedbackFields;
import com.phishnet.store.scans.ScanFields;
import com.phishnet.store.support.MongoTestDatabase;
import com.phishnet.store.support.RequiresRealMongo;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * V019 against whatever MongoDB the integration tier found. Through a mongos router (MONGODB_URI of a sharded
 * cluster): every catalog key is in config.collections after the migrations, a transaction over two sharded collections
 * commits, and a change stream still delivers. On a replica set (the usual case) those tests are skipped with the
 * reason, and another one checks that V019 changed nothing there.
 */
@RequiresRealMongo
class ShardingIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NOT_A_ROUTER = "the integration tier's MongoDB is a replica set, not a mongos router:"
            + " set MONGODB_URI to a sharded cluster's routers to run this test";

    private MongoTestDatabase db;
    private boolean router;

    @BeforeEach
    void migrate() {
        db = MongoTestDatabase.create();
        Document hello = Mono.from(db.client().getDatabase("admin").runCommand(new Document("hello", 1))).block(WAIT);
        router = V019_ShardKeys.isRouter(hello);
        MigrationRunner.migrate(db.client(), db.name(), Clock.systemUTC());
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void onAReplicaSetV019ShardsNothingAndAddsNoIndex() {
        assumeFalse(router, "the integration tier's MongoDB is a mongos router; ShardingIT's router tests cover it");
        Map<String, List<String>> before = indexNames();

        new V019_ShardKeys().apply(db.database(), db.client());

        assertThat(indexNames()).isEqualTo(before);
        assertThat(before.get(ScanFields.COLLECTION)).doesNotContain(ScanFields.COLLECTION + "_shard_key");
    }

    @Test
    void throughAMongosEveryCatalogKeyIsAppliedAndARerunKeepsIt() {
        assumeTrue(router, NOT_A_ROUTER);

        new V019_ShardKeys().apply(db.database(), db.client());

        Map<String, Document> keys = Flux.from(db.client().getDatabase("config").getCollection("collections")
                        .find(new Document("_id", new Document("$regex", "^" + db.name() + "\\."))
                                .append("unsplittable", new Document("$ne", true)))).collectList()
                .block(WAIT).stream()
                .collect(Collectors.toMap(info -> info.getString("_id"), info -> info.get("key", Document.class)));
        for (ShardKeys.Entry entry : ShardKeys.all()) {
            String namespace = db.name() + "." + entry.collection();
            if (entry.sharded()) {
                assertThat(keys.get(namespace)).as(namespace).isEqualTo(entry.key());
            }
            else {
                assertThat(keys).as(namespace).doesNotContainKey(namespace);
            }
        }
    }

    @Test
    void throughAMongosATransactionOverTwoShardedCollectionsCommits() {
        assumeTrue(router, NOT_A_ROUTER);
        Document scan = ValidatorCases.base(ScanFields.COLLECTION).append(ScanFields.IDEMPOTENCY_KEY, "k-1");
        Document feedback = ValidatorCases.base(FeedbackFields.COLLECTION);

        Mono.usingWhen(db.client().startSession(), session -> Mono.fromRunnable(() -> session.startTransaction(
                        TransactionOptions.builder().readConcern(ReadConcern.SNAPSHOT).writeConcern(WriteConcern.MAJORITY)
                                .build()))
                .then(Mono.from(db.database().getCollection(ScanFields.COLLECTION).insertOne(session, scan)))
                .then(Mono.from(db.database().getCollection(FeedbackFields.COLLECTION).insertOne(session, feedback)))
                .then(Mono.from(session.commitTransaction())), session -> Mono.fromRunnable(session::close)).block(WAIT);

        assertThat(Mono.from(db.database().getCollection(ScanFields.COLLECTION).countDocuments()).block(WAIT)).isEqualTo(1);
        assertThat(Mono.from(db.database().getCollection(FeedbackFields.COLLECTION).countDocuments()).block(WAIT))
                .isEqualTo(1);
    }

    @Test
    void throughAMongosAChangeStreamOnAShardedCollectionStillDelivers() {
        assumeTrue(router, NOT_A_ROUTER);
        BsonDocument hello = Mono.from(db.database().runCommand(new Document("hello", 1), BsonDocument.class)).block(WAIT);
        // As ChangeFeed starts its shared cursors through a router: at the cluster time of the router's reply.
        BsonTimestamp start = hello.getDocument("$clusterTime").getTimestamp("clusterTime");
        Mono<ChangeStreamDocument<Document>> first = Flux.from(db.database().getCollection(ScanFields.COLLECTION).watch()
                .startAtOperationTime(start)).next();

        Mono.from(db.database().getCollection(ScanFields.COLLECTION).insertOne(ValidatorCases.base(ScanFields.COLLECTION)
                .append(ScanFields.IDEMPOTENCY_KEY, "k-2"))).block(WAIT);

        ChangeStreamDocument<Document> event = first.block(WAIT);
        assertThat(event.getDocumentKey()).containsKeys("_id", ScanFields.TENANT_ID, ScanFields.IDEMPOTENCY_KEY);
        assertThat(event.getResumeToken()).isNotNull();
    }

    private Map<String, List<String>> indexNames() {
        return ShardKeys.sharded().stream().collect(Collectors.toMap(ShardKeys.Entry::collection,
                entry -> Flux.from(db.database().getCollection(entry.collection()).listIndexes())
                        .map(index -> index.getString("name")).sort().collectList().block(WAIT),
                (a, b) -> a, java.util.TreeMap::new));
    }
}
