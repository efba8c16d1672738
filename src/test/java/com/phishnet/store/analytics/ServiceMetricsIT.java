package com.phishnet.store.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.mongodb.reactivestreams.client.MongoClient;
import com.phishnet.store.analytics.MetricsQuery.Granularity;
import com.phishnet.store.platform.time.InstanceId;
import com.phishnet.store.support.AppOnRealMongo;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.RealMongo;
import com.phishnet.store.support.RequiresRealMongo;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/**
 * The service-metrics time series on a real server: what the recorder writes lands in the time-series collection,
 * and the metrics API's aggregation gives the right buckets for a known series, on its index.
 */
@RequiresRealMongo
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("local")
@DirtiesContext
class ServiceMetricsIT {

    private static final String DATABASE = RealMongo.newDatabaseName();
    private static final String KNOWN_INSTANCE = "it-known-series";

    @Autowired
    WebTestClient http;
    @Autowired
    ReactiveMongoTemplate mongo;
    @Autowired
    ServiceMetricsRepository repository;
    @Autowired
    InstanceId instance;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        AppOnRealMongo.register(registry, DATABASE, true);
        registry.add("phishnet.metrics.series.interval", () -> "1s");
    }

    @AfterAll
    static void dropDatabase(@Autowired MongoClient client, @Autowired ServiceMetricsRecorder recorder) {
        // Stopped first, or its next interval would create the dropped database again.
        recorder.destroy();
        AppOnRealMongo.drop(client, DATABASE);
    }

    @Test
    void theRecorderWritesThisInstancesRequestRatesIntoTheTimeSeriesCollection() throws InterruptedException {
        String operator = operatorToken();
        Document written = null;
        Document latency = null;
        // Requests keep coming until an interval holding them is written (the recorder's first reading only
        // remembers where the meters stand); each measurement is its own insert, so both are looked for each time.
        Instant deadline = Instant.now().plusSeconds(20);
        while ((written == null || latency == null) && Instant.now().isBefore(deadline)) {
            http.get().uri("/api/v1/admin/system-stats").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                    .exchange().expectStatus().isOk();
            Thread.sleep(250);
            written = find(ServiceMetric.HTTP_REQUESTS_RATE, new Document(MetricFields.VALUE, new Document("$gt", 0)));
            latency = find(ServiceMetric.HTTP_REQUESTS_LATENCY, new Document());
        }

        assertThat(written).as("a request rate of admin/system-stats written by this instance").isNotNull();
        assertThat(written.get(MetricFields.TIMESTAMP)).isInstanceOf(Date.class);
        assertThat(latency).as("a latency of admin/system-stats written by this instance").isNotNull();
        assertThat(latency.getDouble(MetricFields.VALUE)).isPositive();
        assertThat(latency.get(MetricFields.P95)).as("a p95: percentiles-histogram is on for http.server.requests")
                .isNotNull();
        assertThat(latency.getDouble(MetricFields.P95)).isGreaterThanOrEqualTo(latency.getDouble(MetricFields.P50));
    }

    private Document find(ServiceMetric metric, Document also) {
        Document filter = new Document(MetricFields.META_NAME, metric.storedName())
                .append(MetricFields.META_INSTANCE, instance.value())
                .append(MetricFields.META_TAGS + ".group", "admin/system-stats");
        filter.putAll(also);
        return mongo.getCollection(MetricFields.COLLECTION)
                .flatMap(collection -> Mono.from(collection.find(filter).first()))
                .block(Duration.ofSeconds(10));
    }

    @Test
    void theApiAggregatesAKnownSeriesIntoBucketsWithAverageHighestP95AndMax() {
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));
        write(hour.plusSeconds(10), 10.0, 20.0, 30.0);
        write(hour.plusSeconds(70), 20.0, 50.0, 80.0);
        write(hour.plusSeconds(290), 30.0, 40.0, 35.0);
        write(hour.plusSeconds(300), 100.0, 110.0, 120.0);
        // Outside the range asked for: must not count.
        write(hour.minusSeconds(1), 1_000.0, 1_000.0, 1_000.0);
        write(hour.plus(Duration.ofMinutes(15)), 1_000.0, 1_000.0, 1_000.0);

        http.get().uri("/api/v1/admin/metrics?name=http.requests.latency&instance=" + KNOWN_INSTANCE + "&granularity=5m&from="
                        + hour + "&to=" + hour.plus(Duration.ofMinutes(15)))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + operatorToken())
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.series.length()").isEqualTo(1)
                .jsonPath("$.series[0].instance").isEqualTo(KNOWN_INSTANCE)
                .jsonPath("$.series[0].tags.group").isEqualTo("scans")
                .jsonPath("$.series[0].buckets.length()").isEqualTo(2)
                .jsonPath("$.series[0].buckets[0].start").isEqualTo(hour.toString())
                .jsonPath("$.series[0].buckets[0].avg").isEqualTo(20.0)
                .jsonPath("$.series[0].buckets[0].p95").isEqualTo(50.0)
                .jsonPath("$.series[0].buckets[0].max").isEqualTo(80.0)
                .jsonPath("$.series[0].buckets[0].samples").isEqualTo(3)
                .jsonPath("$.series[0].buckets[1].start").isEqualTo(hour.plus(Duration.ofMinutes(5)).toString())
                .jsonPath("$.series[0].buckets[1].avg").isEqualTo(100.0)
                .jsonPath("$.series[0].buckets[1].samples").isEqualTo(1);
    }

    @Test
    void theMetricsQueryRunsOnTheNameAndTimeIndex() {
        write(Instant.now().minusSeconds(60), 1.0, 2.0, 3.0);
        MetricsQuery query = new MetricsQuery(ServiceMetric.HTTP_REQUESTS_LATENCY, Instant.now().minus(Duration.ofHours(1)),
                Instant.now(), Granularity.MINUTE, KNOWN_INSTANCE);

        Document explained = mongo.getCollection(MetricFields.COLLECTION)
                .flatMap(collection -> Mono.from(collection.aggregate(ServiceMetricsRepository.pipeline(query)).explain()))
                .block(Duration.ofSeconds(10));

        // The server rewrites a time-series query onto its buckets (clustered by _id, so a bounded clustered scan
        // is a candidate too); only the winning plan counts, not the rejected ones that also name the index.
        List<Document> winning = winningPlans(explained);
        assertThat(winning).as("winning plans in %s", explained.toJson()).isNotEmpty();
        String plan = winning.get(0).toJson();
        assertThat(plan).contains("\"IXSCAN\"").contains("\"indexName\": \"" + MetricFields.BY_NAME_AND_TIME_INDEX + "\"");
        assertThat(plan).doesNotContain("COLLSCAN").doesNotContain("CLUSTERED_IXSCAN");
    }

    /** Every {@code winningPlan} in an explain, wherever the server's version nests it (classic or SBE). */
    private static List<Document> winningPlans(Object node) {
        List<Document> found = new java.util.ArrayList<>();
        if (node instanceof Document document) {
            document.forEach((key, value) -> {
                if (key.equals("winningPlan") && value instanceof Document plan) {
                    found.add(plan);
                }
                else {
                    found.addAll(winningPlans(value));
                }
            });
        }
        else if (node instanceof List<?> list) {
            list.forEach(item -> found.addAll(winningPlans(item)));
        }
        return found;
    }

    private void write(Instant at, double value, double p95, double max) {
        repository.insert(KNOWN_INSTANCE, at, List.of(new Measurement(ServiceMetric.HTTP_REQUESTS_LATENCY,
                new TreeMap<>(Map.of("group", "scans")), value, value, p95, p95, max))).block(Duration.ofSeconds(10));
    }

    private String operatorToken() {
        return DevTokens.mint(http, "ops-1", "ops", List.of(), "service:operator");
    }
}
