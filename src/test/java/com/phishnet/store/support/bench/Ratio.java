package com.phishnet.store.support.bench;

import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The ratios the benchmark prints, always oriented so that 1.0 means "as fast as the baseline" and more is faster:
 * throughput over the baseline's throughput, or the baseline's latency over this one's. A ratio is absent (printed
 * "n/a", written as null) whenever either side has nothing to compare: no completed calls, a zero or non-finite
 * value.
 */
public final class Ratio {

    private Ratio() {
    }

    /** {@code numerator / denominator}, or empty unless both are finite, the numerator is non-negative and the denominator positive. */
    public static OptionalDouble of(double numerator, double denominator) {
        if (!Double.isFinite(numerator) || !Double.isFinite(denominator) || numerator < 0 || denominator <= 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(numerator / denominator);
    }

    /** Throughput of {@code measured} over the baseline's: 0.8 = 80 % of the baseline's calls per second. */
    public static OptionalDouble throughput(Measurement measured, Measurement baseline) {
        if (!measured.hasSamples() || !baseline.hasSamples()) {
            return OptionalDouble.empty();
        }
        return of(measured.throughput(), baseline.throughput());
    }

    /** The baseline's mean latency over {@code measured}'s: 0.5 = each call takes twice as long as the baseline's. */
    public static OptionalDouble meanLatency(Measurement measured, Measurement baseline) {
        if (!measured.hasSamples() || !baseline.hasSamples()) {
            return OptionalDouble.empty();
        }
        return of(baseline.latency().meanNanos(), measured.latency().meanNanos());
    }

    /** Like {@link #meanLatency} with the 99th percentiles. */
    public static OptionalDouble p99Latency(Measurement measured, Measurement baseline) {
        if (!measured.hasSamples() || !baseline.hasSamples()) {
            return OptionalDouble.empty();
        }
        return of(baseline.latency().p99Nanos(), measured.latency().p99Nanos());
    }

    /** Whether the ratio reaches {@code target}; null when there is no ratio to judge. */
    public static Boolean atLeast(OptionalDouble ratio, double target) {
        return ratio.isPresent() ? ratio.getAsDouble() >= target : null;
    }

    /** "0.83×", or "n/a". */
    public static String format(OptionalDouble ratio) {
        return ratio.isPresent() ? String.format(Locale.ROOT, "%.2f×", ratio.getAsDouble()) : "n/a";
    }

    /** The value for results.json: the ratio rounded to 4 decimals, or null. */
    public static Double json(OptionalDouble ratio) {
        return ratio.isPresent() ? Math.round(ratio.getAsDouble() * 10_000) / 10_000.0 : null;
    }
}
