package com.phishnet.store.analytics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.phishnet.store.analytics.AnalyticsRequests.CollectionStats;
import org.bson.Document;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Service-wide reads across every tenant (operators only): which collections exist and what they hold. */
@Repository
class SystemStatsRepository {

    private final ReactiveMongoTemplate mongo;

    SystemStatsRepository(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** The application's collections by name, without the server's own {@code system.*} ones. */
    Flux<String> collectionNames() {
        return mongo.getCollectionNames()
                .filter(name -> !name.startsWith("system."))
                .sort();
    }

    Mono<CollectionStats> collectionStats(String name) {
        return aggregate(name, collStatsPipeline())
                .onErrorResume(countNotSupported -> aggregate(name, storageOnlyPipeline()))
                .map(stats -> toStats(name, stats));
    }

    /** {@code $collStats} (the collStats command is deprecated) with storage figures and the exact count. */
    static List<Document> collStatsPipeline() {
        return List.of(new Document("$collStats", new Document("storageStats", new Document()).append("count", new Document())));
    }

    /** Without the count: time-series collections are views, whose $collStats cannot count. */
    static List<Document> storageOnlyPipeline() {
        return List.of(new Document("$collStats", new Document("storageStats", new Document())));
    }

    private Mono<Document> aggregate(String name, List<Document> pipeline) {
        return Flux.from(mongo.getMongoDatabase().flatMapMany(database -> database.getCollection(name).aggregate(pipeline)))
                .next();
    }

    static CollectionStats toStats(String name, Document stats) {
        Document storage = stats.get("storageStats", Document.class);
        Document countStage = stats.get("count", Document.class);
        Map<String, Long> indexSizes = new LinkedHashMap<>();
        if (storage != null && storage.get("indexSizes") instanceof Document sizes) {
            sizes.forEach((index, size) -> indexSizes.put(index, ((Number) size).longValue()));
        }
        return new CollectionStats(name,
                number(countStage != null ? countStage.get("count") : storage == null ? null : storage.get("count")),
                number(storage == null ? null : storage.get("size")),
                number(storage == null ? null : storage.get("storageSize")),
                number(storage == null ? null : storage.get("totalIndexSize")),
                indexSizes);
    }

    private static long number(Object value) {
        return value instanceof Number number ? number.longValue() : 0;
    }
}
