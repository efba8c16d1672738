package com.phishnet.store.support.bench;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Everything one benchmark run found, in the shape of {@code results.json}: where it ran, with what, with which
 * parameters, each figure with its ratio to its baseline, the targets and whether they were met, and the slots of
 * measurements made by separate benchmarks.
 *
 * @param startedAt      when the benchmark method began (after start-up; seeding and measuring follow)
 * @param finishedAt     when it ended
 * @param elapsedSeconds from the start of the test JVM to the end: start-up (and mongod's, when started here),
 *                       seeding and measuring; Maven's build before the tests is not in it
 * @param mongo          where the MongoDB came from (RealMongo's source: MONGODB_URI, a mongod with its data
 *                       directory, or a container)
 */
public record BenchmarkResults(String benchmark, String startedAt, String finishedAt, double elapsedSeconds,
        MachineFacts machine, String mongo, Map<String, String> versions, Map<String, Object> parameters, List<Section> sections, List<Target> targets,
        Map<String, Slot> slots, List<String> notes) {

    /** A group of rows measured side by side (ingestion, paged reads, reputation). */
    public record Section(String name, String title, String note, List<Row> rows) {
    }

    /**
     * One measured path on one side.
     *
     * @param side        "service" (over HTTP), "service (in-process)" or "raw driver"
     * @param model       "closed" or "open"
     * @param concurrency workers of a closed loop; null in the open model
     * @param ratePerSecond offered rate of the open model; null in a closed loop
     * @param ratio       against {@code comparedWith}, oriented so that more is faster (see {@link Ratio}); null when
     *                    there is nothing to compare
     * @param ratioBasis  what the ratio compares: "throughput" or "mean latency"
     * @param notCompared why a row with a baseline has no ratio although both sides completed calls (a side
     *                    saturated); null otherwise
     * @param hitShare    reputation: the share of lookups Redis answered during the run; null elsewhere
     */
    public record Row(String path, String side, String model, Integer concurrency, Double ratePerSecond,
            long operations, long errors, long unsent, boolean saturated, double seconds, double throughputPerSecond,
            Latency latencyMs, Double ratio, String ratioBasis, String comparedWith, String notCompared,
            Double hitShare, String firstError) {

        public static Row of(String path, String side, Measurement measurement) {
            boolean closed = measurement.model() == LoadModel.CLOSED;
            return new Row(path, side, closed ? "closed" : "open", closed ? measurement.concurrency() : null,
                    closed ? null : measurement.ratePerSecond(), measurement.completed(), measurement.errors(),
                    measurement.unsent(), measurement.saturated(), round(measurement.seconds(), 3),
                    round(measurement.throughput(), 1), Latency.of(measurement.latency()), null, null, null, null, null,
                    measurement.firstError());
        }

        /**
         * A row of {@code measurement} with its ratio to the baseline measured next to it: throughput in a closed
         * loop, mean latency in the open model. None when either side saturated: a saturated run stopped sending
         * early and its latencies are those of calls that queued behind a backlog, so the two means would not be
         * of the same load.
         */
        public static Row compared(String path, String side, Measurement measurement, Measurement baseline,
                String baselineName) {
            boolean closed = measurement.model() == LoadModel.CLOSED;
            String basis = closed ? "throughput" : "mean latency";
            Row row = of(path, side, measurement);
            if (measurement.saturated() || baseline.saturated()) {
                String which = measurement.saturated() && baseline.saturated() ? "both sides"
                        : measurement.saturated() ? "this side" : baselineName;
                return row.withRatio(OptionalDouble.empty(), basis, baselineName).notCompared("saturated: " + which);
            }
            return row.withRatio(closed ? Ratio.throughput(measurement, baseline) : Ratio.meanLatency(measurement,
                    baseline), basis, baselineName);
        }

        public Row withRatio(OptionalDouble value, String basis, String baseline) {
            return new Row(path, side, model, concurrency, ratePerSecond, operations, errors, unsent, saturated, seconds,
                    throughputPerSecond, latencyMs, Ratio.json(value), basis, baseline, null, hitShare, firstError);
        }

        Row notCompared(String reason) {
            return new Row(path, side, model, concurrency, ratePerSecond, operations, errors, unsent, saturated, seconds,
                    throughputPerSecond, latencyMs, null, ratioBasis, comparedWith, reason, hitShare, firstError);
        }

        public Row withHitShare(Double share) {
            return new Row(path, side, model, concurrency, ratePerSecond, operations, errors, unsent, saturated, seconds,
                    throughputPerSecond, latencyMs, ratio, ratioBasis, comparedWith, notCompared,
                    share == null || !Double.isFinite(share) ? null : round(share, 4), firstError);
        }
    }

    /** Latencies in milliseconds; null in a row without completed calls. */
    public record Latency(double mean, double p50, double p95, double p99, double p999, double max) {

        static Latency of(LatencySummary summary) {
            if (summary.isEmpty()) {
                return null;
            }
            return new Latency(round(summary.meanMillis(), 4), round(summary.p50Millis(), 4),
                    round(summary.p95Millis(), 4), round(summary.p99Millis(), 4), round(summary.p999Millis(), 4),
                    round(summary.maxMillis(), 4));
        }
    }

    /**
     * A goal and how the run did against it.
     *
     * @param value the figure judged (in {@code unit}); null when it could not be measured
     * @param met   null when it could not be judged
     */
    public record Target(String name, String measure, Double value, String unit, String goal, Boolean met, String note) {

        public static Target of(String name, String measure, OptionalDouble value, String unit, String goal,
                Boolean met, String note) {
            return new Target(name, measure, Ratio.json(value), unit, goal, met, note);
        }
    }

    /**
     * A measurement this benchmark leaves to a benchmark of its own.
     *
     * @param status "separate" (not run here)
     * @param latest that benchmark's own results file from its latest run on this checkout, or null
     */
    public record Slot(String status, String command, String note, String latestFile, Object latest) {
    }

    static double round(double value, int decimals) {
        if (!Double.isFinite(value)) {
            return 0;
        }
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
