package com.phishnet.store.support.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.ConcurrentHistogram;

/**
 * Latencies in nanoseconds in an HdrHistogram with 3 significant digits (every percentile within 0.1 % of the
 * recorded value), safe to record into from many threads at once. A latency above {@link #HIGHEST_NANOS} is
 * recorded as that value and counted as clamped, never dropped.
 */
public final class LatencyRecorder {

    /** Ten minutes: above any operation timeout the benchmark allows. */
    public static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(10);
    static final int SIGNIFICANT_DIGITS = 3;

    private final ConcurrentHistogram histogram = new ConcurrentHistogram(1, HIGHEST_NANOS, SIGNIFICANT_DIGITS);
    private final AtomicLong clamped = new AtomicLong();

    public void record(long nanos) {
        long value = Math.max(0, nanos);
        if (value > HIGHEST_NANOS) {
            clamped.incrementAndGet();
            value = HIGHEST_NANOS;
        }
        histogram.recordValue(value);
    }

    public long count() {
        return histogram.getTotalCount();
    }

    /** Latencies that were longer than the histogram tracks (recorded as {@link #HIGHEST_NANOS}). */
    public long clamped() {
        return clamped.get();
    }

    /** Count, mean and percentiles of what was recorded so far; {@link LatencySummary#EMPTY} when nothing was. */
    public LatencySummary summary() {
        // A copy: percentiles of one consistent state while other threads may still record.
        ConcurrentHistogram copy = histogram.copy();
        if (copy.getTotalCount() == 0) {
            return LatencySummary.EMPTY;
        }
        return new LatencySummary(copy.getTotalCount(), copy.getMean(), copy.getValueAtPercentile(50),
                copy.getValueAtPercentile(95), copy.getValueAtPercentile(99), copy.getValueAtPercentile(99.9),
                copy.getMaxValue());
    }
}
