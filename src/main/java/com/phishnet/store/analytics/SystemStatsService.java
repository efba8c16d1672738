package com.phishnet.store.analytics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.phishnet.store.analytics.AnalyticsRequests.CollectionStats;
import com.phishnet.store.analytics.AnalyticsRequests.SystemStats;
import io.micrometer.core.instrument.MeterRegistry;
import org.bson.Document;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Service-wide figures for service operators (never tenant admins): collection and index sizes, and the MongoDB connection pool. */
@Service
public class SystemStatsService {

    private static final List<String> POOL_METERS = List.of("mongodb.driver.pool.size",
            "mongodb.driver.pool.checkedout", "mongodb.driver.pool.waitqueuesize");

    private final ReactiveMongoTemplate mongo;
    private final MeterRegistry meters;

    public SystemStatsService(ReactiveMongoTemplate mongo, MeterRegistry meters) {
        this.mongo = mongo;
        this.meters = meters;
    }

    public Mono<SystemStats> stats() {
        return mongo.getCollectionNames()
                .filter(name -> !name.startsWith("system."))
                .sort()
                .concatMap(this::collectionStats)
                .collectList()
                .map(collections -> new SystemStats(collections, pool()));
    }

    /** {@code $collStats} (the collStats command is deprecated) with storage figures and the exact count. */
    static List<Document> collStatsPipeline() {
        return List.of(new Document("$collStats", new Document("storageStats", new Document()).append("count", new Document())));
    }

    /** Without the count: time-series collections are views, whose $collStats cannot count. */
    static List<Document> storageOnlyPipeline() {
        return List.of(new Document("$collStats", new Document("storageStats", new Document())));
    }

    private Mono<CollectionStats> collectionStats(String name) {
        return aggregate(name, collStatsPipeline())
                .onErrorResume(countNotSupported -> aggregate(name, storageOnlyPipeline()))
                .map(stats -> toStats(name, stats))
                // One collection the server cannot describe must not hide the others.
                .onErrorResume(failure -> Mono.just(new CollectionStats(name, -1, -1, -1, -1, Map.of())));
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

    private Map<String, Double> pool() {
        Map<String, Double> pool = new LinkedHashMap<>();
        POOL_METERS.forEach(meter -> pool.put(meter, meters.find(meter).gauges().stream()
                .mapToDouble(gauge -> gauge.value()).sum()));
        return pool;
    }

    private static long number(Object value) {
        return value instanceof Number number ? number.longValue() : 0;
    }
}
