package com.phishnet.store.support.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** What the calls of one measured run did, recorded from whichever threads they end on. */
final class Tally {

    private static final int ERROR_TEXT_MAX = 300;

    private final long start;
    private final LatencyRecorder latencies = new LatencyRecorder();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong lastEnd;
    private final AtomicReference<String> firstError = new AtomicReference<>();

    /** @param start when measurement starts, on the run's nanosecond clock */
    Tally(long start) {
        this.start = start;
        this.lastEnd = new AtomicLong(start);
    }

    long start() {
        return start;
    }

    /** A call that succeeded: its latency from {@code from} (its start, or its intended start) to {@code end}. */
    void completed(long from, long end) {
        latencies.record(end - from);
        completed.incrementAndGet();
        lastEnd.accumulateAndGet(end, Math::max);
    }

    void failed(Throwable failure, long end) {
        errors.incrementAndGet();
        firstError.compareAndSet(null, describe(failure));
        lastEnd.accumulateAndGet(end, Math::max);
    }

    Measurement measurement(LoadModel model, int concurrency, double rate, long unsent, boolean saturated) {
        return new Measurement(model, concurrency, rate, completed.get(), errors.get(), unsent, saturated,
                (lastEnd.get() - start) / 1e9, latencies.summary(), firstError.get());
    }

    static String describe(Throwable failure) {
        String text = failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        return text.length() <= ERROR_TEXT_MAX ? text : text.substring(0, ERROR_TEXT_MAX) + "…";
    }
}
