package com.phishnet.store.platform.mongo;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.reactivestreams.client.ChangeStreamPublisher;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.bson.conversions.Bson;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Opens MongoDB change streams on the service's database. Features build the pipeline (their field names, a
 * {@code $match} on operation type and fields); this opens the cursor. Change streams return only
 * majority-committed changes, so an aborted transaction's writes never come out of here.
 */
@Component
public class ChangeFeed {

    /** How long the server holds a getMore open waiting for an event; also how soon an idle cursor notices it is closed. */
    static final Duration MAX_AWAIT = Duration.ofSeconds(1);

    private final ReactiveMongoTemplate mongo;

    public ChangeFeed(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    /**
     * The changes of one collection through {@code pipeline}, from now or from {@code from}. Update events carry
     * the document as it is when the event is read ({@code updateLookup}), so a feature can render it.
     */
    public Flux<Change> watch(String collection, List<? extends Bson> pipeline, ChangePosition from) {
        return mongo.getCollection(collection).flatMapMany(target -> {
            ChangeStreamPublisher<Document> publisher = target.watch(pipeline, Document.class)
                    .fullDocument(FullDocument.UPDATE_LOOKUP)
                    .maxAwaitTime(MAX_AWAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (from != null && from.after() != null) {
                // startAfter (4.2+) takes any event's token, an invalidate's included; otherwise it acts as resumeAfter.
                publisher = publisher.startAfter(from.after().toBson());
            }
            else if (from != null) {
                publisher = publisher.startAtOperationTime(from.at());
            }
            return Flux.from(publisher).map(Change::of);
        });
    }

    /**
     * The cluster time just after the last majority-committed write ({@code hello}'s
     * {@code lastWrite.majorityOpTime}, one increment on): a cursor started at it misses nothing committed after
     * this call, even if it opens later, and repeats nothing committed before.
     */
    public Mono<BsonTimestamp> afterLastMajorityCommit() {
        return mongo.getMongoDatabase()
                .flatMap(database -> Mono.from(database.runCommand(new Document("hello", 1), BsonDocument.class)))
                .map(ChangeFeed::afterMajorityOpTime);
    }

    /**
     * On a replica set member, {@code lastWrite.majorityOpTime} one increment on. A mongos router's {@code hello} has no
     * {@code lastWrite} (each shard has its own): there the start is the cluster time the router's reply carries
     * ({@code $clusterTime.clusterTime}), inclusive, so an event at exactly that time may be delivered once more rather
     * than missed; a write another router commits meanwhile on a shard whose clock is behind can fall before it
     * (docs/scaling.md, "Change streams through mongos").
     */
    static BsonTimestamp afterMajorityOpTime(BsonDocument hello) {
        BsonDocument lastWrite = hello.getDocument("lastWrite", null);
        BsonDocument majority = lastWrite == null ? null : lastWrite.getDocument("majorityOpTime", null);
        if ((majority == null || !majority.isTimestamp("ts")) && hello.isString("msg")
                && "isdbgrid".equals(hello.getString("msg").getValue())) {
            BsonDocument clusterTime = hello.getDocument("$clusterTime", null);
            if (clusterTime != null && clusterTime.isTimestamp("clusterTime")) {
                return clusterTime.getTimestamp("clusterTime");
            }
            throw new IllegalStateException("The mongos router's hello carries no $clusterTime to start a change stream at");
        }
        if (majority == null || !majority.isTimestamp("ts")) {
            throw new IllegalStateException("The server's hello has no lastWrite.majorityOpTime: not a replica set member");
        }
        BsonTimestamp committed = majority.getTimestamp("ts");
        return new BsonTimestamp(committed.getTime(), committed.getInc() + 1);
    }
}
