package com.phishnet.store.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** Interval measurements from the registry the service runs with (Prometheus, cumulative meters). */
class MeterReadingsTest {

    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    private final MeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MeterReadings readings = new MeterReadings();

    @Test
    void theFirstReadingOnlyRemembersWhereTheMetersStand() {
        requests("/api/v1/scans", 1, 2, 3);

        assertThat(readings.read(registry, T0)).isEmpty();
    }

    @Test
    void requestRateAndLatencyPercentilesDescribeOnlyTheIntervalPerRouteGroup() {
        // Before the first reading: must not count in the interval that follows.
        for (int i = 0; i < 50; i++) {
            requests("/api/v1/scans", 5_000);
        }
        readings.read(registry, T0);
        for (int millis = 1; millis <= 100; millis++) {
            requests(millis % 2 == 0 ? "/api/v1/scans" : "/api/v1/scans/{id}", millis);
        }
        requests("/api/v1/admin/backups/{id}", 40, 40);

        List<Measurement> measurements = readings.read(registry, T0.plusSeconds(10));

        assertThat(value(measurements, ServiceMetric.HTTP_REQUESTS_RATE, Map.of("group", "scans"))).isEqualTo(10.0);
        assertThat(value(measurements, ServiceMetric.HTTP_REQUESTS_RATE, Map.of("group", "admin/backups"))).isEqualTo(0.2);
        Measurement scans = one(measurements, ServiceMetric.HTTP_REQUESTS_LATENCY, Map.of("group", "scans"));
        assertThat(scans.value()).isCloseTo(50.5, within(0.01));
        // The upper bound of the bucket holding the true percentile (50, 95, 99 ms), not the 5-second requests
        // of the earlier interval, which would put every percentile in the 5 s bucket.
        assertThat(scans.p50()).isEqualTo(bucketBoundAtOrAbove(50));
        assertThat(scans.p95()).isEqualTo(bucketBoundAtOrAbove(95));
        assertThat(scans.p99()).isEqualTo(bucketBoundAtOrAbove(99));
        assertThat(scans.p95()).isLessThan(1_000.0);
        assertThat(scans.max()).isGreaterThanOrEqualTo(100.0);
        Measurement backups = one(measurements, ServiceMetric.HTTP_REQUESTS_LATENCY, Map.of("group", "admin/backups"));
        assertThat(backups.value()).isCloseTo(40.0, within(0.01));
        // The bucket's bound would say 44.7; the max lies in that bucket and no sample of it is larger.
        assertThat(backups.p95()).isEqualTo(40.0);
        assertThat(backups.max()).isEqualTo(40.0);
    }

    @Test
    void anIdleIntervalHasARateOfZeroAndNoLatency() {
        requests("/api/v1/scans", 10);
        readings.read(registry, T0);
        readings.read(registry, T0.plusSeconds(30));

        List<Measurement> idle = readings.read(registry, T0.plusSeconds(60));

        assertThat(value(idle, ServiceMetric.HTTP_REQUESTS_RATE, Map.of("group", "scans"))).isZero();
        assertThat(idle).noneMatch(measurement -> measurement.metric() == ServiceMetric.HTTP_REQUESTS_LATENCY);
    }

    @Test
    void withoutAHistogramTheMeanIsRecordedAndNoPercentile() {
        Timer plain = Timer.builder(MeterReadings.MONGODB_COMMANDS).tag("command", "find").register(registry);
        readings.read(registry, T0);
        plain.record(Duration.ofMillis(4));
        plain.record(Duration.ofMillis(8));

        Measurement latency = one(readings.read(registry, T0.plusSeconds(2)), ServiceMetric.MONGODB_COMMANDS_LATENCY, Map.of());

        assertThat(latency.value()).isCloseTo(6.0, within(0.001));
        assertThat(latency.p95()).isNull();
        assertThat(latency.p50()).isNull();
    }

    @Test
    void mongodbCommandsAreOneSeriesOverEveryCommand() {
        Timer find = commandTimer("find");
        Timer insert = commandTimer("insert");
        readings.read(registry, T0);
        find.record(Duration.ofMillis(2));
        insert.record(Duration.ofMillis(6));
        insert.record(Duration.ofMillis(7));

        List<Measurement> measurements = readings.read(registry, T0.plusSeconds(1));

        assertThat(value(measurements, ServiceMetric.MONGODB_COMMANDS_RATE, Map.of())).isEqualTo(3.0);
        assertThat(one(measurements, ServiceMetric.MONGODB_COMMANDS_LATENCY, Map.of()).value()).isCloseTo(5.0, within(0.001));
    }

    @Test
    void poolGaugesAreSummedOverTheServersAndSubscribersKeptPerStream() {
        AtomicInteger first = new AtomicInteger(5);
        AtomicInteger second = new AtomicInteger(7);
        Gauge.builder(MeterReadings.POOL_SIZE, first, AtomicInteger::get).tag("server", "a").register(registry);
        Gauge.builder(MeterReadings.POOL_SIZE, second, AtomicInteger::get).tag("server", "b").register(registry);
        Gauge.builder(MeterReadings.STREAM_SUBSCRIBERS, first, AtomicInteger::get).tag("stream", "scans").register(registry);
        readings.read(registry, T0);
        second.set(9);

        List<Measurement> measurements = readings.read(registry, T0.plusSeconds(30));

        assertThat(value(measurements, ServiceMetric.MONGODB_POOL_SIZE, Map.of())).isEqualTo(14.0);
        assertThat(value(measurements, ServiceMetric.STREAM_SUBSCRIBERS, Map.of("stream", "scans"))).isEqualTo(5.0);
    }

    @Test
    void cacheHitRatioAndScansByVerdictCountOnlyTheInterval() {
        registry.counter(MeterReadings.CACHE_REQUESTS, "cache", "reputation", "result", "hit").increment(100);
        registry.counter(MeterReadings.SCANS_INGESTED, "verdict", "MALICIOUS").increment(7);
        readings.read(registry, T0);
        registry.counter(MeterReadings.CACHE_REQUESTS, "cache", "reputation", "result", "hit").increment(3);
        registry.counter(MeterReadings.CACHE_REQUESTS, "cache", "reputation", "result", "miss").increment(1);
        registry.counter(MeterReadings.CACHE_REQUESTS, "cache", "stats", "result", "error").increment(4);
        registry.counter(MeterReadings.SCANS_INGESTED, "verdict", "MALICIOUS").increment(2);

        List<Measurement> measurements = readings.read(registry, T0.plusSeconds(30));

        assertThat(value(measurements, ServiceMetric.CACHE_HIT_RATIO, Map.of("cache", "reputation"))).isEqualTo(0.75);
        // A cache with neither hits nor misses (only errors) has no ratio in the interval.
        assertThat(measurements).noneMatch(measurement -> measurement.metric() == ServiceMetric.CACHE_HIT_RATIO
                && measurement.tags().equals(Map.of("cache", "stats")));
        assertThat(value(measurements, ServiceMetric.SCANS_INGESTED, Map.of("verdict", "MALICIOUS"))).isEqualTo(2.0);
    }

    @Test
    void aMeterRemovedAndRegisteredAgainCountsFromZeroAndRemovedOnesAreForgotten() {
        registry.counter(MeterReadings.SCANS_INGESTED, "verdict", "CLEAN").increment(5);
        readings.read(registry, T0);
        registry.remove(registry.counter(MeterReadings.SCANS_INGESTED, "verdict", "CLEAN"));
        registry.counter(MeterReadings.SCANS_INGESTED, "verdict", "CLEAN").increment(8);

        List<Measurement> measurements = readings.read(registry, T0.plusSeconds(30));

        // Not 8 - 5: the new counter's whole count is this interval's.
        assertThat(value(measurements, ServiceMetric.SCANS_INGESTED, Map.of("verdict", "CLEAN"))).isEqualTo(8.0);
        registry.remove(registry.counter(MeterReadings.SCANS_INGESTED, "verdict", "CLEAN"));
        assertThat(readings.read(registry, T0.plusSeconds(60)))
                .noneMatch(measurement -> measurement.metric() == ServiceMetric.SCANS_INGESTED);
    }

    @Test
    void aSpikeOfAnEarlierIntervalIsNotThisIntervalsMaxNorAboveItsPercentiles() {
        requests("/api/v1/scans", 10);
        readings.read(registry, T0);
        requests("/api/v1/scans", 5_000);
        readings.read(registry, T0.plusSeconds(30));
        // The registry's max still remembers the 5 s request (it decays over minutes); this interval's are 40 ms.
        requests("/api/v1/scans", 40, 40, 40);

        Measurement latency = one(readings.read(registry, T0.plusSeconds(60)), ServiceMetric.HTTP_REQUESTS_LATENCY,
                Map.of("group", "scans"));

        assertThat(latency.max()).isEqualTo(bucketBoundAtOrAbove(40));
        assertThat(latency.p99()).isLessThanOrEqualTo(latency.max());
    }

    @Test
    void routeGroupsFollowTheApiFeaturesAndNeverTheRawPath() {
        assertThat(MeterReadings.routeGroup("/api/v1/scans/{id}")).isEqualTo("scans");
        assertThat(MeterReadings.routeGroup("/api/v1/scans:batch")).isEqualTo("scans");
        assertThat(MeterReadings.routeGroup("/api/v1/admin/retention/runs/{id}")).isEqualTo("admin/retention");
        assertThat(MeterReadings.routeGroup("/api/v1/admin")).isEqualTo("admin");
        assertThat(MeterReadings.routeGroup("/actuator/prometheus")).isEqualTo("actuator");
        assertThat(MeterReadings.routeGroup("NOT_FOUND")).isEqualTo("other");
        assertThat(MeterReadings.routeGroup(null)).isEqualTo("other");
    }

    private void requests(String uri, long... millis) {
        Timer timer = Timer.builder(MeterReadings.HTTP_REQUESTS).tag("uri", uri).tag("status", "200")
                .publishPercentileHistogram().register(registry);
        for (long each : millis) {
            timer.record(Duration.ofMillis(each));
        }
    }

    /** The smallest bucket bound (ms) of the service's request histogram at or above {@code millis}. */
    private double bucketBoundAtOrAbove(double millis) {
        return java.util.Arrays.stream(registry.find(MeterReadings.HTTP_REQUESTS).timers().iterator().next()
                        .takeSnapshot().histogramCounts())
                .mapToDouble(bucket -> bucket.bucket(java.util.concurrent.TimeUnit.MILLISECONDS))
                .filter(bound -> bound >= millis).min().orElseThrow();
    }

    private Timer commandTimer(String command) {
        return Timer.builder(MeterReadings.MONGODB_COMMANDS).tag("command", command).publishPercentileHistogram()
                .register(registry);
    }

    private static double value(List<Measurement> measurements, ServiceMetric metric, Map<String, String> tags) {
        return one(measurements, metric, tags).value();
    }

    private static Measurement one(List<Measurement> measurements, ServiceMetric metric, Map<String, String> tags) {
        List<Measurement> matching = measurements.stream()
                .filter(measurement -> measurement.metric() == metric && measurement.tags().equals(tags)).toList();
        assertThat(matching).as(metric + " " + tags).hasSize(1);
        return matching.get(0);
    }
}
