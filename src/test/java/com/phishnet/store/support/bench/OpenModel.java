package com.phishnet.store.support.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleToIntFunction;
import java.util.function.LongSupplier;

import com.phishnet.store.support.bench.Operation.Invocation;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Open-model load: calls arrive at a fixed rate, call {@code i} intended to start at {@code t0 + i / rate},
 * whether or not earlier calls have ended. Each latency runs from the call's <em>intended</em> start, so whatever
 * delays a call — a slow server, a full connection pool, a late timer, a stall of this JVM — counts against every
 * call that was due meanwhile (no coordinated omission). Arrivals are issued from one scheduler thread; a tick that
 * wakes up late issues every call already due at once, each still charged from its own intended start.
 * <p>
 * When {@code maxOutstanding} calls (a number for each rate: the benchmark gives a backlog in time, see
 * BenchmarkParameters.maxOutstanding) are in flight the offered rate is beyond what the system serves: the run stops
 * sending, waits for the calls in flight, and reports itself {@linkplain Measurement#saturated() saturated}, with the
 * calls it never sent as {@linkplain Measurement#unsent() unsent}. That bounds the run's time and memory; its
 * latencies are then those of the calls that did go out, already queued.
 * <p>
 * The clock and the schedulers are injected, so a test can run it in virtual time.
 */
public final class OpenModel {

    private static final Scheduler ARRIVALS = Schedulers.newSingle("bench-arrivals", true);

    private final LongSupplier nanoClock;
    private final Scheduler arrivals;
    private final Scheduler timer;
    private final Duration callTimeout;
    private final DoubleToIntFunction maxOutstanding;

    /** {@code maxOutstanding}: the calls in flight at which a run at a given rate counts as saturated. */
    public OpenModel(LongSupplier nanoClock, Scheduler arrivals, Scheduler timer, Duration callTimeout,
            DoubleToIntFunction maxOutstanding) {
        this.nanoClock = nanoClock;
        this.arrivals = arrivals;
        this.timer = timer;
        this.callTimeout = callTimeout;
        this.maxOutstanding = maxOutstanding;
    }

    /** The same cap at every rate. */
    public OpenModel(LongSupplier nanoClock, Scheduler arrivals, Scheduler timer, Duration callTimeout,
            int maxOutstanding) {
        this(nanoClock, arrivals, timer, callTimeout, rate -> maxOutstanding);
    }

    public static OpenModel inRealTime(Duration callTimeout, DoubleToIntFunction maxOutstanding) {
        return new OpenModel(System::nanoTime, ARRIVALS, Schedulers.parallel(), callTimeout, maxOutstanding);
    }

    /** Arrivals at {@code ratePerSecond} for the warm-up (not recorded) and then for the measured duration. */
    public Mono<Measurement> run(double ratePerSecond, Duration warmup, Duration duration, Operation operation) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            return Mono.error(new IllegalArgumentException("an arrival rate must be a positive number, not " + ratePerSecond));
        }
        return Mono.defer(() -> new Run(ratePerSecond, warmup, duration, operation).start());
    }

    /** One run; {@link #next}, {@link #saturated} and {@link #unsent} belong to the arrivals thread. */
    private final class Run {

        private final double rate;
        private final Operation operation;
        private final long warmCalls;
        private final long total;
        private final double intervalNanos;
        private final int cap;
        private final AtomicInteger outstanding = new AtomicInteger();
        private final AtomicBoolean finished = new AtomicBoolean();
        private final Sinks.One<Measurement> done = Sinks.one();
        private final Scheduler.Worker worker = arrivals.createWorker();
        private long t0;
        private Tally tally;
        private long next;
        private boolean saturated;
        private long unsent;
        private volatile boolean issuing = true;

        Run(double rate, Duration warmup, Duration duration, Operation operation) {
            this.rate = rate;
            this.operation = operation;
            this.warmCalls = (long) Math.floor(warmup.toNanos() * rate / 1e9);
            this.total = warmCalls + (long) Math.floor(duration.toNanos() * rate / 1e9);
            this.intervalNanos = 1e9 / rate;
            this.cap = maxOutstanding.applyAsInt(rate);
        }

        Mono<Measurement> start() {
            t0 = nanoClock.getAsLong();
            tally = new Tally(intended(warmCalls));
            worker.schedule(this::tick);
            return done.asMono().doFinally(signal -> worker.dispose());
        }

        private long intended(long call) {
            return t0 + Math.round(call * intervalNanos);
        }

        private void tick() {
            long now = nanoClock.getAsLong();
            while (next < total && intended(next) <= now) {
                if (outstanding.get() >= cap) {
                    saturated = true;
                    unsent = total - Math.max(next, warmCalls);
                    break;
                }
                issue(next++);
            }
            if (next < total && !saturated) {
                worker.schedule(this::tick, Math.max(0, intended(next) - nanoClock.getAsLong()), TimeUnit.NANOSECONDS);
            }
            else {
                issuing = false;
                finishIfDone();
            }
        }

        private void issue(long call) {
            long intendedStart = intended(call);
            boolean measured = call >= warmCalls;
            outstanding.incrementAndGet();
            Mono.defer(() -> operation.call(new Invocation(call, Invocation.NO_WORKER)))
                    .timeout(callTimeout, timer)
                    .then()
                    .subscribe(null, failure -> {
                        if (measured) {
                            tally.failed(failure, nanoClock.getAsLong());
                        }
                        release();
                    }, () -> {
                        if (measured) {
                            tally.completed(intendedStart, nanoClock.getAsLong());
                        }
                        release();
                    });
        }

        private void release() {
            outstanding.decrementAndGet();
            finishIfDone();
        }

        private void finishIfDone() {
            if (!issuing && outstanding.get() == 0 && finished.compareAndSet(false, true)) {
                done.tryEmitValue(tally.measurement(LoadModel.OPEN, 0, rate, unsent, saturated));
            }
        }
    }
}
