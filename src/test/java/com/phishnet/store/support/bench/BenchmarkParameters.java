package com.phishnet.store.support.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The knobs of the one-command benchmark, read from system properties ({@code -Dbenchmark.duration=10s}). The
 * defaults keep the whole default run within five minutes on a small machine; {@link #plannedSeconds()} says how
 * long a choice will measure.
 *
 * @param warmup       before every measurement, at the same concurrency or rate, not recorded
 * @param duration     of every measurement
 * @param prime        once, before the first ingestion measurement, on each side (JIT, pools, caches)
 * @param concurrency  closed-loop workers of scan ingestion
 * @param rates        open-model arrival rates (calls/s) of scan ingestion
 * @param sections     which sections run: ingestion, reads, reputation
 * @param maxBacklog   open model: how much of the rate's arrivals may be in flight at once before the rate counts
 *                     as saturated and stops sending ({@link #maxOutstanding(double)})
 * @param timeout      of one call
 */
public record BenchmarkParameters(Duration warmup, Duration duration, Duration prime, List<Integer> concurrency,
        List<Double> rates, int readsConcurrency, List<Double> readsRates, int readsDepth, int readsPageSize,
        int reputationConcurrency, List<Double> reputationRates, int reputationSubjects, Set<String> sections,
        Duration maxBacklog, Duration timeout, String output) {

    public static final List<String> SECTIONS = List.of("ingestion", "reads", "reputation");
    /** The least cap on calls in flight, so a low rate is not called saturated over a few slow calls. */
    public static final int MIN_OUTSTANDING = 64;
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min)?");

    public BenchmarkParameters {
        if (concurrency.isEmpty() || concurrency.stream().anyMatch(workers -> workers < 1)) {
            throw new IllegalArgumentException("benchmark.concurrency: one or more worker counts of at least 1");
        }
        if (readsPageSize < 1 || readsPageSize > 1_000 || readsDepth < readsPageSize || readsDepth % readsPageSize != 0) {
            throw new IllegalArgumentException("benchmark.reads.depth must be a positive multiple of"
                    + " benchmark.reads.page-size (1 to 1,000): the offset page at that depth starts exactly there");
        }
        positive("benchmark.reads.concurrency", readsConcurrency);
        positive("benchmark.reputation.concurrency", reputationConcurrency);
        positive("benchmark.reputation.subjects", reputationSubjects);
        if (maxBacklog.isNegative() || maxBacklog.isZero()) {
            throw new IllegalArgumentException("benchmark.max-backlog must be a positive duration, not " + maxBacklog);
        }
        if (!SECTIONS.containsAll(sections)) {
            throw new IllegalArgumentException("benchmark.sections: some of " + SECTIONS + ", not " + sections);
        }
    }

    public static BenchmarkParameters fromSystemProperties() {
        return from(System.getProperties());
    }

    /** Items per request of the bulk ingestion rows (POST /api/v1/scans:batch), measured next to single requests. */
    public static final List<Integer> BATCH_SIZES = List.of(100, 1000);
    /** Batch workers are measured at the closed-loop level nearest this one from below (see BatchThroughput). */
    public static final int BATCH_WORKERS = 16;

    public static BenchmarkParameters from(Properties properties) {
        return new BenchmarkParameters(
                duration(properties, "benchmark.warmup", "1s"),
                duration(properties, "benchmark.duration", "4s"),
                duration(properties, "benchmark.prime", "5s"),
                integers(properties, "benchmark.concurrency", "1,16,64,256"),
                numbers(properties, "benchmark.rates", "220,2200"),
                integer(properties, "benchmark.reads.concurrency", "16"),
                numbers(properties, "benchmark.reads.rates", "1000,10000"),
                integer(properties, "benchmark.reads.depth", "10000"),
                integer(properties, "benchmark.reads.page-size", "50"),
                integer(properties, "benchmark.reputation.concurrency", "16"),
                numbers(properties, "benchmark.reputation.rates", "1000,10000"),
                integer(properties, "benchmark.reputation.subjects", "60000"),
                Set.copyOf(list(properties, "benchmark.sections", String.join(",", SECTIONS))),
                duration(properties, "benchmark.max-backlog", "2s"),
                duration(properties, "benchmark.timeout", "30s"),
                properties.getProperty("benchmark.output", "target/benchmark"));
    }

    public boolean runs(String section) {
        return sections.contains(section);
    }

    public int maxConcurrency() {
        return concurrency.stream().mapToInt(Integer::intValue).max().orElse(1);
    }

    /**
     * Open model: the calls in flight at {@code ratePerSecond} at which the rate counts as saturated, that is
     * {@link #maxBacklog} of arrivals, and never fewer than {@link #MIN_OUTSTANDING}. A backlog in time rather than
     * a fixed count, so the same latency budget applies at 220 calls/s as at 10,000.
     */
    public int maxOutstanding(double ratePerSecond) {
        double backlog = Math.ceil(ratePerSecond * maxBacklog.toNanos() / 1e9);
        return (int) Math.max(MIN_OUTSTANDING, Math.min(Integer.MAX_VALUE, backlog));
    }

    /** Measurements the chosen sections make. */
    public int measurements() {
        int count = 0;
        if (runs("ingestion")) {
            // Both sides at every level and rate, and bulk ingestion once per batch size.
            count += 2 * concurrency.size() + 2 * rates.size() + BATCH_SIZES.size();
        }
        if (runs("reads")) {
            count += 3 * 2 + 3 * 2 * readsRates.size();
        }
        if (runs("reputation")) {
            count += 5 + 3 * reputationRates.size();
        }
        return count;
    }

    /** Time spent measuring (warm-ups included), without start-up and seeding. */
    public long plannedSeconds() {
        long each = warmup.plus(duration).toSeconds();
        return measurements() * each + (runs("ingestion") ? 2 * prime.toSeconds() : 0);
    }

    /** For results.json. */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("warmup", warmup.toString());
        map.put("duration", duration.toString());
        map.put("prime", prime.toString());
        map.put("concurrency", concurrency);
        map.put("rates", rates);
        map.put("readsConcurrency", readsConcurrency);
        map.put("readsRates", readsRates);
        map.put("readsDepth", readsDepth);
        map.put("readsPageSize", readsPageSize);
        map.put("reputationConcurrency", reputationConcurrency);
        map.put("reputationRates", reputationRates);
        map.put("reputationSubjects", reputationSubjects);
        map.put("sections", SECTIONS.stream().filter(sections::contains).toList());
        map.put("maxBacklog", maxBacklog.toString());
        map.put("timeout", timeout.toString());
        return map;
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, not " + value);
        }
    }

    /** "5s", "500ms", "2m", an ISO-8601 "PT5S", or a bare number of seconds. */
    static Duration parseDuration(String text) {
        String value = text.trim();
        if (value.toUpperCase(Locale.ROOT).startsWith("PT")) {
            return Duration.parse(value.toUpperCase(Locale.ROOT));
        }
        Matcher matcher = DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (say 5s, 500ms, 2m or PT5S)");
        }
        double amount = Double.parseDouble(matcher.group(1));
        String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        double millis = switch (unit) {
            case "ms" -> amount;
            case "m", "min" -> amount * 60_000;
            default -> amount * 1_000;
        };
        return Duration.ofMillis(Math.round(millis));
    }

    private static Duration duration(Properties properties, String name, String fallback) {
        try {
            return parseDuration(properties.getProperty(name, fallback));
        }
        catch (RuntimeException invalid) {
            throw new IllegalArgumentException(name + ": " + invalid.getMessage(), invalid);
        }
    }

    private static int integer(Properties properties, String name, String fallback) {
        try {
            return Integer.parseInt(properties.getProperty(name, fallback).trim().replace("_", ""));
        }
        catch (NumberFormatException invalid) {
            throw new IllegalArgumentException(name + ": not a whole number: " + properties.getProperty(name), invalid);
        }
    }

    private static List<Integer> integers(Properties properties, String name, String fallback) {
        try {
            return list(properties, name, fallback).stream().map(item -> Integer.parseInt(item.replace("_", ""))).toList();
        }
        catch (NumberFormatException invalid) {
            throw new IllegalArgumentException(name + ": whole numbers separated by commas, not "
                    + properties.getProperty(name), invalid);
        }
    }

    private static List<Double> numbers(Properties properties, String name, String fallback) {
        try {
            List<Double> values = list(properties, name, fallback).stream()
                    .map(item -> Double.parseDouble(item.replace("_", ""))).toList();
            if (values.stream().anyMatch(rate -> !(rate > 0) || rate.isInfinite())) {
                throw new NumberFormatException("rates are positive");
            }
            return values;
        }
        catch (NumberFormatException invalid) {
            throw new IllegalArgumentException(name + ": positive numbers separated by commas, not "
                    + properties.getProperty(name), invalid);
        }
    }

    private static List<String> list(Properties properties, String name, String fallback) {
        return Arrays.stream(properties.getProperty(name, fallback).split(",")).map(String::trim)
                .filter(item -> !item.isEmpty()).toList();
    }
}
