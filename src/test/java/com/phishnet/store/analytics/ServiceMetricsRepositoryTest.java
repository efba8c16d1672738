package com.phishnet.store.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.phishnet.store.analytics.MetricsQuery.Granularity;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The BSON written to and asked of {@code system_metrics}, as the server receives it. */
class ServiceMetricsRepositoryTest {

    private static final Instant AT = Instant.parse("2026-12-06T10:00:30Z");

    @Test
    void aLatencyIsStoredWithItsPercentilesUnderTheTimeAndMetaFieldsOfTheCollection() {
        Measurement latency = new Measurement(ServiceMetric.HTTP_REQUESTS_LATENCY, new TreeMap<>(Map.of("group", "scans")),
                12.5, 10.0, 31.0, 44.0, 61.0);

        Document stored = ServiceMetricsRepository.document("host-a1b2", AT, latency);

        assertThat(stored.toJson()).isEqualTo(new Document("timestamp", Date.from(AT))
                .append("meta", new Document("name", "http.requests.latency").append("instance", "host-a1b2")
                        .append("tags", new Document("group", "scans")))
                .append("value", 12.5).append("p50", 10.0).append("p95", 31.0).append("p99", 44.0).append("max", 61.0)
                .toJson());
        assertThat(stored.get("timestamp")).isInstanceOf(Date.class);
    }

    @Test
    void aPlainValueHasNoPercentileFieldsAndTagsAreAlwaysInTheSameOrder() {
        Measurement ratio = new Measurement(ServiceMetric.CACHE_HIT_RATIO, new TreeMap<>(Map.of("z", "1", "a", "2")), 0.75,
                null, null, null, null);

        Document stored = ServiceMetricsRepository.document("host", AT, ratio);

        assertThat(stored.keySet()).containsExactly("timestamp", "meta", "value");
        // Equal meta documents (same order) are what the time-series collection buckets together.
        assertThat(stored.get("meta", Document.class).get("tags", Document.class).keySet()).containsExactly("a", "z");
    }

    @Test
    void thePipelineMatchesOneNameOverTheRangeOnItsIndexAndBucketsWithDateTruncInUtc() {
        MetricsQuery query = new MetricsQuery(ServiceMetric.HTTP_REQUESTS_LATENCY, Instant.parse("2026-12-06T09:00:00Z"),
                Instant.parse("2026-12-06T10:00:00Z"), Granularity.FIVE_MINUTES, null);

        List<Document> pipeline = ServiceMetricsRepository.pipeline(query);

        assertThat(pipeline.get(0).toJson()).isEqualTo(new Document("$match", new Document("meta.name", "http.requests.latency")
                .append("timestamp", new Document("$gte", Date.from(query.from())).append("$lt", Date.from(query.to()))))
                .toJson());
        assertThat(pipeline.get(1).toJson()).isEqualTo(Document.parse("""
                {"$group": {
                  "_id": {"instance": "$meta.instance", "tags": "$meta.tags",
                          "start": {"$dateTrunc": {"date": "$timestamp", "unit": "minute", "binSize": 5, "timezone": "UTC"}}},
                  "avg": {"$avg": "$value"},
                  "p95": {"$max": "$p95"},
                  "max": {"$max": {"$ifNull": ["$max", "$value"]}},
                  "samples": {"$sum": 1}}}""").toJson());
        assertThat(pipeline.get(2).toJson()).isEqualTo("{\"$sort\": {\"_id.start\": 1, \"_id.instance\": 1}}");
        // One row more than an answer holds, so the answer can say it was cut.
        assertThat(pipeline.get(3).toJson()).isEqualTo("{\"$limit\": " + (ServiceMetricsRepository.MAX_ROWS + 1) + "}");
    }

    @Test
    void oneInstanceIsAnEqualityOnTheMetaSubfield() {
        MetricsQuery query = new MetricsQuery(ServiceMetric.SCANS_INGESTED, Instant.parse("2026-12-01T00:00:00Z"),
                Instant.parse("2026-12-06T00:00:00Z"), Granularity.DAY, "host-a1b2");

        Document match = ServiceMetricsRepository.pipeline(query).get(0).get("$match", Document.class);

        assertThat(match.getString("meta.instance")).isEqualTo("host-a1b2");
        assertThat(ServiceMetricsRepository.pipeline(query).get(1).toJson()).contains("\"unit\": \"day\", \"binSize\": 1");
    }
}
