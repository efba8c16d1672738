package com.phishnet.store.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.phishnet.store.analytics.AnalyticsRequests.MetricSeries;
import com.phishnet.store.analytics.AnalyticsRequests.MetricSeriesPage;
import com.phishnet.store.analytics.MetricsQuery.Granularity;
import com.phishnet.store.platform.web.ApiException;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class ServiceMetricsServiceTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    private final ServiceMetricsRepository repository = mock(ServiceMetricsRepository.class);
    private final ServiceMetricsService service = new ServiceMetricsService(repository, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void withoutARangeTheLastHourInMinuteBuckets() {
        MetricsQuery query = service.query("http.requests.rate", null, null, null, null);

        assertThat(query.from()).isEqualTo(NOW.minus(Duration.ofHours(1)));
        assertThat(query.to()).isEqualTo(NOW);
        assertThat(query.granularity()).isEqualTo(Granularity.MINUTE);
        assertThat(query.metric()).isEqualTo(ServiceMetric.HTTP_REQUESTS_RATE);
    }

    @Test
    void theDefaultGranularityIsTheFinestThatKeepsToThreeHundredBuckets() {
        assertThat(service.query("scans.ingested", NOW.minus(Duration.ofHours(24)), NOW, null, null).granularity())
                .isEqualTo(Granularity.FIVE_MINUTES);
        assertThat(service.query("scans.ingested", NOW.minus(Duration.ofDays(7)), NOW, null, null).granularity())
                .isEqualTo(Granularity.HOUR);
        assertThat(service.query("scans.ingested", NOW.minus(Duration.ofDays(31)), NOW, null, null).granularity())
                .isEqualTo(Granularity.SIX_HOURS);
    }

    @Test
    void badQueriesAreRefusedNamingTheFieldAndNeverReachTheDatabase() {
        refused(() -> service.query("http.requests", null, null, null, null), "name", "http.requests.rate");
        refused(() -> service.query("http.requests.rate", NOW, NOW, null, null), "to", "after from");
        refused(() -> service.query("http.requests.rate", NOW, NOW.minusSeconds(1), null, null), "to", "after from");
        refused(() -> service.query("http.requests.rate", NOW.minus(Duration.ofDays(32)), NOW, null, null), "from", "31 days");
        refused(() -> service.query("http.requests.rate", NOW.minus(Duration.ofDays(40)), NOW.minus(Duration.ofDays(39)),
                null, null), "from", "31 days ago");
        refused(() -> service.query("http.requests.rate", null, NOW.plus(Duration.ofDays(2)), null, null), "to", "a day from now");
        // Far past what a BSON date holds: refused before anything turns it into one.
        refused(() -> service.query("http.requests.rate", Instant.parse("+1000000000-01-01T00:00:00Z"),
                Instant.parse("+1000000000-01-02T00:00:00Z"), null, null), "to", "a day from now");
        refused(() -> service.query("http.requests.rate", null, null, "2m", null), "granularity", "1m, 5m, 15m, 1h, 6h, 1d");
        refused(() -> service.query("http.requests.rate", NOW.minus(Duration.ofDays(2)), NOW, "1m", null), "granularity",
                "coarser");
        refused(() -> service.query("http.requests.rate", null, null, null, ""), "instance", "1..128");
        refused(() -> service.query("http.requests.rate", null, null, null, "x".repeat(129)), "instance", "1..128");

        StepVerifier.create(service.series("nope", null, null, null, null))
                .expectError(ApiException.InvalidField.class).verify();
        verifyNoInteractions(repository);
    }

    @Test
    void rowsBecomeOneSeriesPerInstanceAndTagsInBucketOrder() {
        given(repository.aggregate(any())).willReturn(Flux.just(
                row("a", Map.of("group", "scans"), "2026-12-06T09:00:00Z", 10.0, 30.0, 55.0, 6),
                row("b", Map.of("group", "scans"), "2026-12-06T09:00:00Z", 12.0, null, 12.0, 6),
                row("a", Map.of("group", "scans"), "2026-12-06T09:05:00Z", 11.0, 31.0, 60.0, 5),
                row("a", Map.of("group", "users"), "2026-12-06T09:05:00Z", 2.0, 3.0, 4.0, 1)));

        MetricSeriesPage page = service.series("http.requests.latency", NOW.minus(Duration.ofHours(1)), NOW, "5m", null).block();

        assertThat(page.name()).isEqualTo("http.requests.latency");
        assertThat(page.unit()).isEqualTo("ms");
        assertThat(page.granularity()).isEqualTo("5m");
        assertThat(page.truncated()).isFalse();
        assertThat(page.series()).extracting(MetricSeries::instance, MetricSeries::tags).containsExactly(
                org.assertj.core.groups.Tuple.tuple("a", Map.of("group", "scans")),
                org.assertj.core.groups.Tuple.tuple("b", Map.of("group", "scans")),
                org.assertj.core.groups.Tuple.tuple("a", Map.of("group", "users")));
        MetricSeries first = page.series().get(0);
        assertThat(first.buckets()).extracting(bucket -> bucket.start().toString())
                .containsExactly("2026-12-06T09:00:00Z", "2026-12-06T09:05:00Z");
        assertThat(first.buckets().get(1).avg()).isEqualTo(11.0);
        assertThat(first.buckets().get(1).p95()).isEqualTo(31.0);
        assertThat(first.buckets().get(1).max()).isEqualTo(60.0);
        assertThat(first.buckets().get(1).samples()).isEqualTo(5);
        assertThat(page.series().get(1).buckets().get(0).p95()).isNull();
    }

    @Test
    void anAnswerCutAtTheRowCapSaysSo() {
        List<Document> rows = new java.util.ArrayList<>();
        for (int i = 0; i <= ServiceMetricsRepository.MAX_ROWS; i++) {
            rows.add(row("i-" + i, Map.of(), "2026-12-06T09:00:00Z", 1.0, null, 1.0, 1));
        }
        given(repository.aggregate(any())).willReturn(Flux.fromIterable(rows));

        MetricSeriesPage page = service.series("scans.ingested", null, null, null, null).block();

        assertThat(page.truncated()).isTrue();
        assertThat(page.series()).hasSize(ServiceMetricsRepository.MAX_ROWS);
    }

    private static Document row(String instance, Map<String, String> tags, String start, Double avg, Double p95, Double max,
            int samples) {
        return new Document("_id", new Document("instance", instance).append("tags", new Document(tags))
                .append("start", Date.from(Instant.parse(start))))
                .append("avg", avg).append("p95", p95).append("max", max).append("samples", samples);
    }

    private static void refused(org.assertj.core.api.ThrowableAssert.ThrowingCallable query, String field, String message) {
        assertThatThrownBy(query).isInstanceOfSatisfying(ApiException.InvalidField.class, invalid -> {
            assertThat(invalid.field()).isEqualTo(field);
            assertThat(invalid.getMessage()).contains(message);
        });
    }
}
