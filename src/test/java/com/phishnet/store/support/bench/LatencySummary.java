package com.phishnet.store.support.bench;

/**
 * What a {@link LatencyRecorder} holds, in nanoseconds: the number of samples, their mean, the 50th, 95th, 99th
 * and 99.9th percentiles and the largest.
 */
public record LatencySummary(long count, double meanNanos, long p50Nanos, long p95Nanos, long p99Nanos,
        long p999Nanos, long maxNanos) {

    public static final LatencySummary EMPTY = new LatencySummary(0, Double.NaN, 0, 0, 0, 0, 0);

    public boolean isEmpty() {
        return count == 0;
    }

    public double meanMillis() {
        return meanNanos / 1e6;
    }

    public double p50Millis() {
        return p50Nanos / 1e6;
    }

    public double p95Millis() {
        return p95Nanos / 1e6;
    }

    public double p99Millis() {
        return p99Nanos / 1e6;
    }

    public double p999Millis() {
        return p999Nanos / 1e6;
    }

    public double maxMillis() {
        return maxNanos / 1e6;
    }
}
