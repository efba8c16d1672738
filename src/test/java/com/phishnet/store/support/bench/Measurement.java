package com.phishnet.store.support.bench;

/**
 * The outcome of one measured run (its warm-up excluded).
 *
 * @param model       how load was offered
 * @param concurrency workers of a closed loop; 0 in the open model
 * @param ratePerSecond arrival rate of the open model; 0 in a closed loop
 * @param completed   calls that succeeded; only they have latencies
 * @param errors      calls that failed or timed out
 * @param unsent      open model: calls never started because too many were outstanding (see {@link #saturated})
 * @param saturated   open model: the arrivals outran the system and the run stopped sending early
 * @param seconds     from the start of measurement until the last measured call ended
 * @param latency     of the completed calls: from their start (closed) or intended start (open)
 * @param firstError  the first failure, for the report; null when there was none
 */
public record Measurement(LoadModel model, int concurrency, double ratePerSecond, long completed, long errors,
        long unsent, boolean saturated, double seconds, LatencySummary latency, String firstError) {

    /** Completed calls per second of the measured run; 0 when nothing completed. */
    public double throughput() {
        return completed == 0 || seconds <= 0 ? 0 : completed / seconds;
    }

    public boolean hasSamples() {
        return completed > 0 && !latency.isEmpty();
    }
}
