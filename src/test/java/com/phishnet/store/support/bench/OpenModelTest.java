package com.phishnet.store.support.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** In virtual time: arrivals and service times are exact, so are the latencies. */
class OpenModelTest {

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

    @Test
    void callsArriveAtTheRateWhateverEarlierCallsDo() {
        AtomicLong calls = new AtomicLong();

        Measurement measurement = measure(open(1000).run(100, Duration.ZERO, Duration.ofSeconds(2), call -> {
            calls.incrementAndGet();
            return Mono.delay(Duration.ofMillis(35), time);
        }));

        assertThat(calls.get()).isEqualTo(200);
        assertThat(measurement.model()).isEqualTo(LoadModel.OPEN);
        assertThat(measurement.ratePerSecond()).isEqualTo(100);
        assertThat(measurement.completed()).isEqualTo(200);
        assertThat(measurement.latency().p50Millis()).isCloseTo(35, precision(35));
        assertThat(measurement.latency().maxMillis()).isCloseTo(35, precision(35));
        // The last call is due at 1.99 s and ends 35 ms later.
        assertThat(measurement.seconds()).isCloseTo(2.025, within(1e-9));
        assertThat(measurement.saturated()).isFalse();
    }

    /**
     * A server that serves one call at a time stalls for a second on the first call, then takes 1 ms per call.
     * Arrivals every 10 ms: call i (due at 10·i ms) waits for the calls before it and ends at 1000 + i ms while the
     * queue lasts (i ≤ 111), so its latency from its intended start is 1000 − 9·i ms; from i = 111 on it is 1 ms.
     * Sorted, the 200 latencies are 89 of 1 ms, then 10, 19, 28, … ms: p50 = 100 ms, p95 = 910 ms, p99 = 982 ms.
     * A closed loop with one worker, against the same server, records the stall once: its p99 is 1 ms.
     */
    @Test
    void aStallCountsAgainstEveryCallThatQueuedBehindItAndNotOnlyTheOneThatMetIt() {
        SerialServer server = new SerialServer();

        Measurement open = measure(open(1000).run(100, Duration.ZERO, Duration.ofSeconds(2), call -> server.serve()));

        assertThat(open.completed()).isEqualTo(200);
        assertThat(open.latency().maxMillis()).isCloseTo(1000, precision(1000));
        assertThat(open.latency().p99Millis()).isCloseTo(982, precision(982));
        assertThat(open.latency().p95Millis()).isCloseTo(910, precision(910));
        assertThat(open.latency().p50Millis()).isCloseTo(100, precision(100));

        SerialServer same = new SerialServer();
        Measurement closed = measureClosed(new ClosedLoop(this::now, time, Duration.ofSeconds(5))
                .run(1, Duration.ZERO, Duration.ofSeconds(2), call -> same.serve()));

        assertThat(closed.latency().maxMillis()).isCloseTo(1000, precision(1000));
        assertThat(closed.latency().p99Millis()).isCloseTo(1, precision(1));
    }

    @Test
    void warmUpArrivalsAreSentButNotRecorded() {
        AtomicLong calls = new AtomicLong();

        Measurement measurement = measure(open(1000).run(50, Duration.ofSeconds(1), Duration.ofSeconds(2), call -> {
            calls.incrementAndGet();
            return Mono.delay(Duration.ofMillis(5), time);
        }));

        assertThat(calls.get()).isEqualTo(150);
        assertThat(measurement.completed()).isEqualTo(100);
    }

    @Test
    void aRateBeyondWhatIsServedStopsSendingAndSaysSoRatherThanQueueingForever() {
        // Each call takes 1 s; at 100 calls/s the 10th call in flight is the limit.
        Measurement measurement = measure(open(10).run(100, Duration.ZERO, Duration.ofSeconds(5),
                call -> Mono.delay(Duration.ofSeconds(1), time)));

        assertThat(measurement.saturated()).isTrue();
        assertThat(measurement.completed()).isEqualTo(10);
        assertThat(measurement.unsent()).isEqualTo(490);
        assertThat(measurement.latency().p50Millis()).isCloseTo(1000, precision(1000));
    }

    /**
     * The cap the benchmark gives is a backlog in time: with half a second of backlog, calls of 1 s saturate a run
     * at 1,000 calls/s after 500 calls in flight, and one at 20 calls/s only at the floor of 64 — never, as 20 calls
     * in flight at once is all that rate makes.
     */
    @Test
    void theCapOfEachRunIsTheOneGivenForItsRate() {
        Properties properties = new Properties();
        properties.setProperty("benchmark.max-backlog", "500ms");
        BenchmarkParameters parameters = BenchmarkParameters.from(properties);
        OpenModel model = new OpenModel(this::now, time, time, Duration.ofSeconds(30), parameters::maxOutstanding);

        Measurement fast = measure(model.run(1_000, Duration.ZERO, Duration.ofSeconds(5),
                call -> Mono.delay(Duration.ofSeconds(1), time)));
        Measurement slow = measure(model.run(20, Duration.ZERO, Duration.ofSeconds(5),
                call -> Mono.delay(Duration.ofSeconds(1), time)));

        assertThat(fast.saturated()).isTrue();
        assertThat(fast.completed()).isEqualTo(500);
        assertThat(fast.unsent()).isEqualTo(4_500);
        assertThat(slow.saturated()).isFalse();
        assertThat(slow.completed()).isEqualTo(100);
    }

    @Test
    void failuresAndTimeoutsAreCountedAsErrors() {
        OpenModel impatient = new OpenModel(this::now, time, time, Duration.ofMillis(200), 1000);

        Measurement measurement = measure(impatient.run(10, Duration.ZERO, Duration.ofSeconds(1),
                call -> call.sequence() % 2 == 0 ? Mono.never() : Mono.error(new IllegalStateException("no"))));

        assertThat(measurement.completed()).isZero();
        assertThat(measurement.errors()).isEqualTo(10);
        assertThat(measurement.hasSamples()).isFalse();
        assertThat(measurement.firstError()).isNotNull();
    }

    @Test
    void aRateMustBePositive() {
        StepVerifier.create(open(10).run(0, Duration.ZERO, Duration.ofSeconds(1), call -> Mono.empty()))
                .expectError(IllegalArgumentException.class)
                .verify();
    }

    /** One call at a time; the first takes a second, the others a millisecond each. */
    private final class SerialServer {

        private long freeAt;
        private long served;

        Mono<Long> serve() {
            long now = now();
            long start = Math.max(now, freeAt);
            freeAt = start + (served++ == 0 ? TimeUnit.SECONDS.toNanos(1) : TimeUnit.MILLISECONDS.toNanos(1));
            return Mono.delay(Duration.ofNanos(freeAt - now), time);
        }
    }

    private OpenModel open(int maxOutstanding) {
        return new OpenModel(this::now, time, time, Duration.ofSeconds(30), maxOutstanding);
    }

    private long now() {
        return time.now(TimeUnit.NANOSECONDS);
    }

    /** Subscribes, lets virtual time run until nothing is left to do, and takes the result. */
    private Measurement measure(Mono<Measurement> run) {
        java.util.concurrent.CompletableFuture<Measurement> result = run.toFuture();
        time.advanceTimeBy(Duration.ofMinutes(2));
        assertThat(result).as("the run ended within the virtual time given").isCompleted();
        return result.join();
    }

    private Measurement measureClosed(Mono<Measurement> run) {
        return measure(run);
    }

    private static Offset<Double> precision(double value) {
        return within(value / 1000);
    }
}
