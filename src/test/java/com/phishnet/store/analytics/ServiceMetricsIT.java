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
        AppOnRealMongo.register(registry, DATABASE);
        registry.add("phishnet.metrics.series.interval", () -> "1s");
    }

    @AfterAll
    static void dropDatabase(@Autowired MongoClient client) {
        AppOnRealMongo.drop(client, DATABASE);
    }

    @Test
    void theRecorderWritesThisInstancesRequestRatesIntoTheTimeSeriesCollection() throws InterruptedException {
        String operator = operatorToken();
        Document written = null;
        // Requests keep coming until one interval holding them is written: the recorder's first reading only
        // remembers where the meters stand, so requests made before it never show as a rate.
        Instant deadline = Instant.now().plusSeconds(20);
        while (written == null && Instant.now().isBefore(deadline)) {
            http.get().uri("/api/v1/admin/system-stats").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                    .exchange().expectStatus().isOk();
            written = find(ServiceMetric.HTTP_REQUESTS_RATE, new Document(MetricFields.VALUE, new Document("$gt", 0)));
            Thread.sleep(250);
        }

        assertThat(written).as("a request rate of admin/system-stats written by this instance").isNotNull();
        assertThat(written.get(MetricFields.TIMESTAMP)).isInstanceOf(Date.class);
        // And the latency of such an interval, with the percentiles the service's histograms give.
        Document latency = find(ServiceMetric.HTTP_REQUESTS_LATENCY, new Document());
        assertThat(latency).isNotNull();
        assertThat(latency.getDouble(MetricFields.VALUE)).isPositive();
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

        // The server rewrites a time-series query onto its buckets; the plan names the index it chose.
        assertThat(explained.toJson()).contains("\"indexName\": \"" + MetricFields.BY_NAME_AND_TIME_INDEX + "\"");
        assertThat(explained.toJson()).doesNotContain("COLLSCAN");
    }

    private void write(Instant at, double value, double p95, double max) {
        repository.insert(KNOWN_INSTANCE, at, List.of(new Measurement(ServiceMetric.HTTP_REQUESTS_LATENCY,
                new TreeMap<>(Map.of("group", "scans")), value, value, p95, p95, max))).block(Duration.ofSeconds(10));
    }

    private String operatorToken() {
        return DevTokens.mint(http, "ops-1", "ops", List.of(), "service:operator");
    }
}
