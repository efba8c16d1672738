package com.phishnet.store.support.bench;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import com.phishnet.store.support.bench.Operation.Invocation;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Closed-loop load: {@code concurrency} workers, each calling again as soon as its previous call ended, for a
 * warm-up (not recorded) and then for the measured duration. Throughput is the completed calls over the time from
 * the start of measurement to the end of the last call; each latency runs from the call's own start.
 * <p>
 * The clock and the timer of the call timeout are injected, so a test can run it in virtual time.
 */
public final class ClosedLoop {

    private final LongSupplier nanoClock;
    private final Scheduler timer;
    private final Duration callTimeout;

    public ClosedLoop(LongSupplier nanoClock, Scheduler timer, Duration callTimeout) {
        this.nanoClock = nanoClock;
        this.timer = timer;
        this.callTimeout = callTimeout;
    }

    public static ClosedLoop inRealTime(Duration callTimeout) {
        return new ClosedLoop(System::nanoTime, Schedulers.parallel(), callTimeout);
    }

    public Mono<Measurement> run(int concurrency, Duration warmup, Duration duration, Operation operation) {
        if (concurrency < 1) {
            return Mono.error(new IllegalArgumentException("a closed loop needs at least one worker"));
        }
        AtomicLong sequence = new AtomicLong();
        return Mono.defer(() -> phase(concurrency, nanoClock.getAsLong() + warmup.toNanos(), operation, sequence, null))
                .then(Mono.defer(() -> {
                    Tally tally = new Tally(nanoClock.getAsLong());
                    return phase(concurrency, tally.start() + duration.toNanos(), operation, sequence, tally)
                            .then(Mono.fromCallable(() -> tally.measurement(LoadModel.CLOSED, concurrency, 0, 0, false)));
                }));
    }

    /** Every worker calls until {@code end}; the calls in flight at {@code end} finish and count. */
    private Mono<Void> phase(int concurrency, long end, Operation operation, AtomicLong sequence, Tally tally) {
        return Flux.range(0, concurrency)
                .flatMap(worker -> Mono.defer(() -> nanoClock.getAsLong() >= end ? Mono.<Void>empty()
                                        : call(operation, new Invocation(sequence.getAndIncrement(), worker), tally))
                                .repeat(() -> nanoClock.getAsLong() < end),
                        concurrency)
                .then();
    }

    /** One call; a failure is counted (when measuring) and the worker goes on. */
    private Mono<Void> call(Operation operation, Invocation invocation, Tally tally) {
        long started = nanoClock.getAsLong();
        return Mono.defer(() -> operation.call(invocation))
                .timeout(callTimeout, timer)
                .then()
                .doOnSuccess(ignored -> {
                    if (tally != null) {
                        tally.completed(started, nanoClock.getAsLong());
                    }
                })
                .onErrorResume(failure -> {
                    if (tally != null) {
                        tally.failed(failure, nanoClock.getAsLong());
                    }
                    return Mono.empty();
                });
    }
}
