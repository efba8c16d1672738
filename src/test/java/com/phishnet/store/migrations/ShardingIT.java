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
import com.phishnet.store.platform.mongo.Change;
import com.phishnet.store.platform.mongo.ChangeFeed;
import com.phishnet.store.platform.mongo.ChangePosition;
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
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.SimpleReactiveMongoDatabaseFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * V019 against whatever MongoDB the integration tier found. Through a mongos router (MONGODB_URI of a sharded
 * cluster): every catalog key is in config.collections after the migrations, a transaction writing to two shards
 * commits (with two shards or more), and a change stream opened by ChangeFeed still delivers. On a replica set (the usual case) those tests are skipped with the
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
                assertThat(V019_ShardKeys.sameKey(keys.get(namespace), entry.key()))
                        .as(namespace + " sharded on " + keys.get(namespace) + ", catalog " + entry.key().toJson()).isTrue();
            }
            else {
                assertThat(keys).as(namespace).doesNotContainKey(namespace);
            }
        }
    }

    @Test
    void throughAMongosATransactionOverTwoShardedCollectionsCommits() {
        assumeTrue(router, NOT_A_ROUTER);
        List<String> shards = shardNames();
        assumeTrue(shards.size() >= 2, "the cluster behind MONGODB_URI has " + shards.size() + " shard(s): a transaction"
                + " can only span two shards with two or more (sh.addShard a second one to run this test)");
        Document scan = ValidatorCases.base(ScanFields.COLLECTION).append(ScanFields.IDEMPOTENCY_KEY, "k-1");
        Document feedback = ValidatorCases.base(FeedbackFields.COLLECTION);
        // Fresh collections are one chunk each, on the database's primary shard: move feedback's one chunk elsewhere.
        String scanShard = onlyChunkShard(ScanFields.COLLECTION);
        String otherShard = shards.stream().filter(shard -> !shard.equals(scanShard)).findFirst().orElseThrow();
        Mono.from(db.client().getDatabase("admin").runCommand(new Document("moveChunk", db.name() + "."
                        + FeedbackFields.COLLECTION)
                .append("find", new Document(FeedbackFields.TENANT_ID, feedback.get(FeedbackFields.TENANT_ID))
                        .append(FeedbackFields.SCAN_ID, feedback.get(FeedbackFields.SCAN_ID)))
                .append("to", otherShard).append("_waitForDelete", true))).block(WAIT);
        assertThat(onlyChunkShard(FeedbackFields.COLLECTION)).isEqualTo(otherShard).isNotEqualTo(scanShard);
        // With several routers in MONGODB_URI, one that did not run the move would route by a stale table.
        Mono.from(db.client().getDatabase("admin").runCommand(new Document("flushRouterConfig", 1))).block(WAIT);

        Mono.usingWhen(db.client().startSession(), session -> Mono.fromRunnable(() -> session.startTransaction(
                        TransactionOptions.builder().readConcern(ReadConcern.SNAPSHOT).writeConcern(WriteConcern.MAJORITY)
                                .build()))
                .then(Mono.from(db.database().getCollection(ScanFields.COLLECTION).insertOne(session, scan)))
                .then(Mono.from(db.database().getCollection(FeedbackFields.COLLECTION).insertOne(session, feedback)))
                .then(Mono.from(session.commitTransaction())), session -> Mono.fromRunnable(session::close)).block(WAIT);

        assertThat(Mono.from(db.database().getCollection(ScanFields.COLLECTION)
                .countDocuments(new Document("_id", scan.get("_id")))).block(WAIT)).isEqualTo(1);
        assertThat(Mono.from(db.database().getCollection(FeedbackFields.COLLECTION)
                .countDocuments(new Document("_id", feedback.get("_id")))).block(WAIT)).isEqualTo(1);
        // Each collection is still one chunk, so each document lives on its collection's chunk's shard.
        assertThat(onlyChunkShard(ScanFields.COLLECTION)).isEqualTo(scanShard);
        assertThat(onlyChunkShard(FeedbackFields.COLLECTION)).isEqualTo(otherShard);
    }

    @Test
    void throughAMongosAChangeStreamOnAShardedCollectionStillDelivers() {
        assumeTrue(router, NOT_A_ROUTER);
        ChangeFeed feed = new ChangeFeed(new ReactiveMongoTemplate(new SimpleReactiveMongoDatabaseFactory(db.client(),
                db.name())));
        // The production start (ChangeFeed: the router's $clusterTime), so a regression there fails this test.
        BsonTimestamp start = feed.afterLastMajorityCommit().block(WAIT);
        Mono<Change> first = feed.watch(ScanFields.COLLECTION, List.of(), ChangePosition.at(start)).next();
        Mono<ChangeStreamDocument<Document>> raw = Flux.from(db.database().getCollection(ScanFields.COLLECTION).watch()
                .startAtOperationTime(start)).next();

        Mono.from(db.database().getCollection(ScanFields.COLLECTION).insertOne(ValidatorCases.base(ScanFields.COLLECTION)
                .append(ScanFields.IDEMPOTENCY_KEY, "k-2"))).block(WAIT);

        Change change = first.block(WAIT);
        assertThat(change.operationType()).isEqualTo("insert");
        assertThat(change.fullDocument().getString(ScanFields.IDEMPOTENCY_KEY)).isEqualTo("k-2");
        assertThat(change.token()).isNotNull();
        ChangeStreamDocument<Document> event = raw.block(WAIT);
        assertThat(event.getDocumentKey()).containsKeys("_id", ScanFields.TENANT_ID, ScanFields.IDEMPOTENCY_KEY);
    }

    /** The shard names listShards reports (on admin). */
    private List<String> shardNames() {
        Document reply = Mono.from(db.client().getDatabase("admin").runCommand(new Document("listShards", 1))).block(WAIT);
        return reply.getList("shards", Document.class).stream().map(shard -> shard.getString("_id")).toList();
    }

    /** The shard of the collection's only chunk (config.chunks by the collection's uuid); fails when it has several. */
    private String onlyChunkShard(String collection) {
        BsonDocument info = Mono.from(db.client().getDatabase("config").getCollection("collections", BsonDocument.class)
                .find(new BsonDocument("_id", new org.bson.BsonString(db.name() + "." + collection))).first()).block(WAIT);
        List<BsonDocument> chunks = Flux.from(db.client().getDatabase("config").getCollection("chunks", BsonDocument.class)
                .find(new BsonDocument("uuid", info.get("uuid")))).collectList().block(WAIT);
        assertThat(chunks).as(collection + " chunks").hasSize(1);
        return chunks.get(0).getString("shard").getValue();
    }

    private Map<String, List<String>> indexNames() {
        return ShardKeys.sharded().stream().collect(Collectors.toMap(ShardKeys.Entry::collection,
                entry -> Flux.from(db.database().getCollection(entry.collection()).listIndexes())
                        .map(index -> index.getString("name")).sort().collectList().block(WAIT),
                (a, b) -> a, java.util.TreeMap::new));
    }
}
