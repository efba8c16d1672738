package com.phishnet.store.platform.mongo;

import java.time.Duration;
import java.util.List;

import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.reactivestreams.client.ChangeStreamPublisher;
import org.bson.Document;
import org.bson.conversions.Bson;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;

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
     * The changes of one collection through {@code pipeline}, from now or after {@code startAfter}. Update events
     * carry the document as it is when the event is read ({@code updateLookup}), so a feature can render it.
     */
    public Flux<Change> watch(String collection, List<? extends Bson> pipeline, ResumeToken startAfter) {
        return mongo.getCollection(collection).flatMapMany(target -> {
            ChangeStreamPublisher<Document> publisher = target.watch(pipeline, Document.class)
                    .fullDocument(FullDocument.UPDATE_LOOKUP)
                    .maxAwaitTime(MAX_AWAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            if (startAfter != null) {
                // startAfter rather than resumeAfter: it also resumes after an invalidate event.
                publisher = publisher.startAfter(startAfter.toBson());
            }
            return Flux.from(publisher).map(Change::of);
        });
    }
}
