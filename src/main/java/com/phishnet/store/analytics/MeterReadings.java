package com.phishnet.store.analytics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.phishnet.store.platform.redis.ResilientRedis;
import com.phishnet.store.scans.ScanMetrics;
import com.phishnet.store.streams.StreamMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;

/**
 * Turns the registry's cumulative meters into one interval's measurements: rates and counts from the change since
 * the last reading, latency percentiles from the change of each histogram bucket (so they describe this interval,
 * not the instance's whole life), gauges as they stand. The first reading only remembers where the meters stand.
 *
 * <p>Reads cumulative meters (the Prometheus registry's): a step registry's counts start again each step. Not
 * thread-safe: one recorder reads at a time.
 */
final class MeterReadings {

    static final String HTTP_REQUESTS = "http.server.requests";
    static final String MONGODB_COMMANDS = "mongodb.driver.commands";
    static final String POOL_SIZE = "mongodb.driver.pool.size";
    static final String POOL_CHECKED_OUT = "mongodb.driver.pool.checkedout";
    static final String POOL_WAIT_QUEUE = "mongodb.driver.pool.waitqueuesize";
    static final String CACHE_REQUESTS = ResilientRedis.REQUESTS;
    static final String SCANS_INGESTED = ScanMetrics.INGESTED;
    static final String STREAM_SUBSCRIBERS = StreamMetrics.SUBSCRIBERS;

    /** Where each meter stood at the last reading, with the meter itself: one registered again starts anew. */
    private Map<Meter.Id, Remembered<TimerState>> timers = new HashMap<>();
    private Map<Meter.Id, Remembered<Double>> counters = new HashMap<>();
    private Instant previous;

    /** The measurements of the interval that ends now; empty the first time. */
    List<Measurement> read(MeterRegistry registry, Instant now) {
        Instant since = previous;
        previous = now;
        Map<Meter.Id, TimerState> timerChanges = timerChanges(registry);
        Map<Meter.Id, Double> counterChanges = counterChanges(registry);
        if (since == null || !now.isAfter(since)) {
            return List.of();
        }
        double seconds = Duration.between(since, now).toNanos() / 1e9;
        List<Measurement> measurements = new ArrayList<>();
        timed(measurements, timerChanges, HTTP_REQUESTS, id -> Map.of("group", routeGroup(id.getTag("uri"))),
                ServiceMetric.HTTP_REQUESTS_RATE, ServiceMetric.HTTP_REQUESTS_LATENCY, seconds);
        timed(measurements, timerChanges, MONGODB_COMMANDS, id -> Map.of(),
                ServiceMetric.MONGODB_COMMANDS_RATE, ServiceMetric.MONGODB_COMMANDS_LATENCY, seconds);
        gauge(measurements, registry, POOL_SIZE, id -> Map.of(), ServiceMetric.MONGODB_POOL_SIZE);
        gauge(measurements, registry, POOL_CHECKED_OUT, id -> Map.of(), ServiceMetric.MONGODB_POOL_CHECKED_OUT);
        gauge(measurements, registry, POOL_WAIT_QUEUE, id -> Map.of(), ServiceMetric.MONGODB_POOL_WAIT_QUEUE);
        gauge(measurements, registry, STREAM_SUBSCRIBERS, id -> tag(id, "stream"), ServiceMetric.STREAM_SUBSCRIBERS);
        cacheHitRatios(measurements, counterChanges);
        counted(measurements, counterChanges, SCANS_INGESTED, id -> tag(id, "verdict"), ServiceMetric.SCANS_INGESTED);
        return measurements;
    }

    /**
     * The route group of an {@code http.server.requests} uri template: the feature after {@code /api/v1/} (two
     * segments under {@code admin}), {@code actuator}, or {@code other} (unmatched requests, static resources).
     */
    static String routeGroup(String uri) {
        if (uri == null) {
            return "other";
        }
        if (uri.startsWith("/actuator")) {
            return "actuator";
        }
        if (!uri.startsWith("/api/v1/")) {
            return "other";
        }
        String[] segments = uri.substring("/api/v1/".length()).split("/");
        String first = firstName(segments[0]);
        if (first.equals("admin") && segments.length > 1) {
            return "admin/" + firstName(segments[1]);
        }
        return first.isEmpty() ? "other" : first;
    }

    /** {@code scans:batch} and {@code scans} are one feature. */
    private static String firstName(String segment) {
        int colon = segment.indexOf(':');
        return colon < 0 ? segment : segment.substring(0, colon);
    }

    private Map<Meter.Id, TimerState> timerChanges(MeterRegistry registry) {
        Map<Meter.Id, TimerState> changes = new HashMap<>();
        Map<Meter.Id, Remembered<TimerState>> seen = new HashMap<>();
        for (String name : List.of(HTTP_REQUESTS, MONGODB_COMMANDS)) {
            for (Timer timer : registry.find(name).timers()) {
                TimerState now = TimerState.of(timer.takeSnapshot());
                Remembered<TimerState> before = timers.get(timer.getId());
                // New since the last reading (or removed and registered again): all it counted is this interval's.
                changes.put(timer.getId(), before == null || before.meter() != timer ? now : now.minus(before.state()));
                seen.put(timer.getId(), new Remembered<>(timer, now));
            }
        }
        timers = seen;
        return changes;
    }

    private Map<Meter.Id, Double> counterChanges(MeterRegistry registry) {
        Map<Meter.Id, Double> changes = new HashMap<>();
        Map<Meter.Id, Remembered<Double>> seen = new HashMap<>();
        for (String name : List.of(CACHE_REQUESTS, SCANS_INGESTED)) {
            for (Counter counter : registry.find(name).counters()) {
                double now = counter.count();
                Remembered<Double> before = counters.get(counter.getId());
                changes.put(counter.getId(), before == null || before.meter() != counter ? now : now - before.state());
                seen.put(counter.getId(), new Remembered<>(counter, now));
            }
        }
        counters = seen;
        return changes;
    }

    private record Remembered<T>(Meter meter, T state) {
    }

    private static void timed(List<Measurement> measurements, Map<Meter.Id, TimerState> changes, String name,
            Function<Meter.Id, Map<String, String>> tags, ServiceMetric rate, ServiceMetric latency, double seconds) {
        Map<Map<String, String>, TimerState> byTags = new LinkedHashMap<>();
        changes.forEach((id, change) -> {
            if (id.getName().equals(name)) {
                byTags.merge(new TreeMap<>(tags.apply(id)), change, TimerState::plus);
            }
        });
        byTags.forEach((tagValues, change) -> {
            measurements.add(Measurement.of(rate, tagValues, change.count / seconds));
            if (change.count > 0) {
                measurements.add(new Measurement(latency, new TreeMap<>(tagValues), change.totalMillis / change.count,
                        change.percentile(0.50), change.percentile(0.95), change.percentile(0.99), change.intervalMax()));
            }
        });
    }

    private static void gauge(List<Measurement> measurements, MeterRegistry registry, String name,
            Function<Meter.Id, Map<String, String>> tags, ServiceMetric metric) {
        Map<Map<String, String>, Double> sums = new LinkedHashMap<>();
        Collection<Gauge> gauges = registry.find(name).gauges();
        for (Gauge gauge : gauges) {
            double value = gauge.value();
            if (Double.isFinite(value)) {
                sums.merge(new TreeMap<>(tags.apply(gauge.getId())), value, Double::sum);
            }
        }
        sums.forEach((tagValues, sum) -> measurements.add(Measurement.of(metric, tagValues, sum)));
    }

    private static void counted(List<Measurement> measurements, Map<Meter.Id, Double> changes, String name,
            Function<Meter.Id, Map<String, String>> tags, ServiceMetric metric) {
        Map<Map<String, String>, Double> sums = new LinkedHashMap<>();
        changes.forEach((id, change) -> {
            if (id.getName().equals(name)) {
                sums.merge(new TreeMap<>(tags.apply(id)), change, Double::sum);
            }
        });
        sums.forEach((tagValues, sum) -> measurements.add(Measurement.of(metric, tagValues, sum)));
    }

    /** Hits over hits and misses, per cache, where the cache was read in the interval. */
    private static void cacheHitRatios(List<Measurement> measurements, Map<Meter.Id, Double> changes) {
        Map<String, double[]> byCache = new TreeMap<>();
        changes.forEach((id, change) -> {
            if (id.getName().equals(CACHE_REQUESTS) && id.getTag("cache") != null) {
                double[] hitsAndMisses = byCache.computeIfAbsent(id.getTag("cache"), cache -> new double[2]);
                if ("hit".equals(id.getTag("result"))) {
                    hitsAndMisses[0] += change;
                }
                else if ("miss".equals(id.getTag("result"))) {
                    hitsAndMisses[1] += change;
                }
            }
        });
        byCache.forEach((cache, hitsAndMisses) -> {
            double reads = hitsAndMisses[0] + hitsAndMisses[1];
            if (reads > 0) {
                measurements.add(Measurement.of(ServiceMetric.CACHE_HIT_RATIO, Map.of("cache", cache), hitsAndMisses[0] / reads));
            }
        });
    }

    private static Map<String, String> tag(Meter.Id id, String key) {
        String value = id.getTag(key);
        return value == null ? Map.of() : Map.of(key, value);
    }

    /**
     * A timer's count, total and cumulative bucket counts (bucket upper bound in ms → samples at or below it), or
     * the change of those between two readings. The max is the registry's recent maximum, not a change.
     */
    record TimerState(long count, double totalMillis, double maxMillis, TreeMap<Double, Double> buckets) {

        static TimerState of(HistogramSnapshot snapshot) {
            TreeMap<Double, Double> buckets = new TreeMap<>();
            for (CountAtBucket bucket : snapshot.histogramCounts()) {
                buckets.put(bucket.bucket(TimeUnit.MILLISECONDS), bucket.count());
            }
            return new TimerState(snapshot.count(), snapshot.total(TimeUnit.MILLISECONDS),
                    snapshot.max(TimeUnit.MILLISECONDS), buckets);
        }

        TimerState minus(TimerState before) {
            TreeMap<Double, Double> change = new TreeMap<>();
            buckets.forEach((bound, samples) -> change.put(bound, samples - before.buckets.getOrDefault(bound, 0.0)));
            return new TimerState(count - before.count, totalMillis - before.totalMillis, maxMillis, change);
        }

        TimerState plus(TimerState other) {
            TreeMap<Double, Double> sum = new TreeMap<>(buckets);
            other.buckets.forEach((bound, samples) -> sum.merge(bound, samples, Double::sum));
            return new TimerState(count + other.count, totalMillis + other.totalMillis,
                    Math.max(maxMillis, other.maxMillis), sum);
        }

        /**
         * The upper bound of the first bucket that holds the q-quantile sample (a histogram tells no more), never
         * above {@link #intervalMax()}; the max when that sample lies beyond the last bucket; null without a
         * histogram (percentile histograms switched off) or without samples.
         */
        Double percentile(double quantile) {
            if (buckets.isEmpty() || count == 0) {
                return null;
            }
            double rank = Math.ceil(quantile * count);
            for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
                if (bucket.getValue() >= rank) {
                    return Math.min(bucket.getKey(), intervalMax());
                }
            }
            return intervalMax();
        }

        /**
         * The largest sample of the interval, as well as the meters tell it. The registry's max decays over minutes,
         * so a spike of an earlier interval can still be in it: with a histogram, the max is kept only when it lies
         * in the highest bucket this interval filled, else that bucket's upper bound stands for it.
         */
        double intervalMax() {
            double lower = 0;
            for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
                if (bucket.getValue() >= count) {
                    double upper = bucket.getKey();
                    return maxMillis > lower && maxMillis <= upper ? maxMillis : upper;
                }
                lower = bucket.getKey();
            }
            // No histogram, or a sample beyond the last bucket: the registry's max is all there is.
            return maxMillis;
        }
    }
}
