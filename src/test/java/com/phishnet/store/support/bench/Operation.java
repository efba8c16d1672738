package com.phishnet.store.support.bench;

import reactor.core.publisher.Mono;

/**
 * One operation the benchmark measures: a request over HTTP, a driver call, a service call. It starts when the
 * returned {@link Mono} is subscribed and ends when that completes (its value is ignored) or fails (counted as an
 * error, never as a latency).
 */
@FunctionalInterface
public interface Operation {

    Mono<?> call(Invocation invocation);

    /**
     * Which call this is.
     *
     * @param sequence increasing from 0 over the run (warm-up included), unique per call
     * @param worker   the closed-loop worker making the call (0 to concurrency - 1): a worker makes one call at a
     *                 time, so per-worker state (a tenant, a connection) is never shared by two calls in flight;
     *                 {@link #NO_WORKER} in the open model, where calls are not bound to workers
     */
    record Invocation(long sequence, int worker) {

        public static final int NO_WORKER = -1;

        /** The worker, or the sequence spread over {@code slots} when there is no worker. */
        public int slot(int slots) {
            return worker >= 0 ? worker % slots : (int) (sequence % slots);
        }
    }
}
