package com.phishnet.store.analytics;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.model.InsertManyOptions;
import org.bson.Document;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Writes and aggregates the {@code system_metrics} time series. */
@Repository
class ServiceMetricsRepository {

    /**
     * Rows one answer holds (buckets over every series). Many instances (each restart is a new one) times route
     * groups can pass it; one row more is read, so the answer can say it was cut.
     */
    static final int MAX_ROWS = 20_000;
    /** A month over every instance unpacks millions of measurements; the server gives up rather than the socket. */
    static final Duration MAX_TIME = Duration.ofSeconds(20);

    private final ReactiveMongoTemplate mongo;

    ServiceMetricsRepository(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** One interval's measurements of one instance, in one unordered insert. */
    Mono<Void> insert(String instance, Instant at, List<Measurement> measurements) {
        if (measurements.isEmpty()) {
            return Mono.empty();
        }
        List<Document> documents = measurements.stream().map(measurement -> document(instance, at, measurement)).toList();
        return mongo.getCollection(MetricFields.COLLECTION)
                .flatMap(collection -> Mono.from(collection.insertMany(documents, new InsertManyOptions().ordered(false))))
                .then();
    }

    Flux<Document> aggregate(MetricsQuery query) {
        return mongo.getCollection(MetricFields.COLLECTION)
                .flatMapMany(collection -> collection.aggregate(pipeline(query))
                        .maxTime(MAX_TIME.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** {@code timestamp, meta: {name, instance, tags}, value, [p50, p95, p99, max]}. */
    static Document document(String instance, Instant at, Measurement measurement) {
        Document tags = new Document();
        measurement.tags().forEach(tags::append);
        Document document = new Document(MetricFields.TIMESTAMP, Date.from(at))
                .append(MetricFields.META, new Document(MetricFields.NAME, measurement.metric().storedName())
                        .append(MetricFields.INSTANCE, instance)
                        .append(MetricFields.TAGS, tags))
                .append(MetricFields.VALUE, measurement.value());
        appendIfRecorded(document, MetricFields.P50, measurement.p50());
        appendIfRecorded(document, MetricFields.P95, measurement.p95());
        appendIfRecorded(document, MetricFields.P99, measurement.p99());
        appendIfRecorded(document, MetricFields.MAX, measurement.max());
        return document;
    }

    /**
     * Per instance, tags and bucket: the average of the values, the highest recorded p95 (percentiles of
     * intervals cannot be averaged; the worst interval is the honest summary) and the highest max (the value where
     * no max was recorded). Served by the {@code (meta.name, timestamp)} index.
     */
    static List<Document> pipeline(MetricsQuery query) {
        Document match = new Document(MetricFields.META_NAME, query.metric().storedName())
                .append(MetricFields.TIMESTAMP, new Document("$gte", Date.from(query.from())).append("$lt", Date.from(query.to())));
        if (query.instance() != null) {
            match.append(MetricFields.META_INSTANCE, query.instance());
        }
        Document bucketStart = new Document("$dateTrunc", new Document("date", "$" + MetricFields.TIMESTAMP)
                .append("unit", query.granularity().unit())
                .append("binSize", query.granularity().binSize())
                .append("timezone", "UTC"));
        Document group = new Document("_id", new Document("instance", "$" + MetricFields.META_INSTANCE)
                .append("tags", "$" + MetricFields.META_TAGS)
                .append("start", bucketStart))
                .append("avg", new Document("$avg", "$" + MetricFields.VALUE))
                .append("p95", new Document("$max", "$" + MetricFields.P95))
                .append("max", new Document("$max", new Document("$ifNull",
                        List.of("$" + MetricFields.MAX, "$" + MetricFields.VALUE))))
                .append("samples", new Document("$sum", 1));
        return List.of(new Document("$match", match),
                new Document("$group", group),
                new Document("$sort", new Document("_id.start", 1).append("_id.instance", 1)),
                new Document("$limit", MAX_ROWS + 1));
    }

    private static void appendIfRecorded(Document document, String field, Double value) {
        if (value != null && Double.isFinite(value)) {
            document.append(field, value);
        }
    }
}
