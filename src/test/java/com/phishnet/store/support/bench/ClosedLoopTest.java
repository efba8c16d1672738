package com.phishnet.store.support.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/** In virtual time: the calls take exactly as long as the test says, so the figures are exact. */
class ClosedLoopTest {

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final ClosedLoop loop = new ClosedLoop(() -> time.now(TimeUnit.NANOSECONDS), time, Duration.ofSeconds(5));

    @Test
    void oneWorkerOfTenMillisecondCallsCompletesAHundredCallsASecond() {
        Measurement measurement = measure(loop.run(1, Duration.ofSeconds(1), Duration.ofSeconds(2),
                call -> Mono.delay(Duration.ofMillis(10), time)));

        assertThat(measurement.model()).isEqualTo(LoadModel.CLOSED);
        assertThat(measurement.concurrency()).isEqualTo(1);
        assertThat(measurement.completed()).isEqualTo(200);
        assertThat(measurement.throughput()).isCloseTo(100, within(0.01));
        assertThat(measurement.latency().p99Millis()).isCloseTo(10, within(0.01));
        assertThat(measurement.errors()).isZero();
    }

    @Test
    void eightWorkersMakeEightTimesTheCallsEachOnADistinctWorker() {
        Set<Integer> workers = ConcurrentHashMap.newKeySet();

        Measurement measurement = measure(loop.run(8, Duration.ZERO, Duration.ofSeconds(1), call -> {
            workers.add(call.worker());
            return Mono.delay(Duration.ofMillis(10), time);
        }));

        assertThat(measurement.completed()).isEqualTo(800);
        assertThat(measurement.throughput()).isCloseTo(800, within(0.1));
        assertThat(workers).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void failedCallsAreCountedAndNeverTimed() {
        Measurement measurement = measure(loop.run(1, Duration.ZERO, Duration.ofSeconds(1),
                call -> call.sequence() % 2 == 0 ? Mono.delay(Duration.ofMillis(10), time)
                        : Mono.delay(Duration.ofMillis(10), time).then(Mono.error(new IllegalStateException("refused")))));

        assertThat(measurement.completed()).isEqualTo(50);
        assertThat(measurement.errors()).isEqualTo(50);
        assertThat(measurement.latency().count()).isEqualTo(50);
        assertThat(measurement.firstError()).isEqualTo("IllegalStateException: refused");
    }

    @Test
    void aCallThatNeverEndsTimesOutAsAnError() {
        ClosedLoop impatient = new ClosedLoop(() -> time.now(TimeUnit.NANOSECONDS), time, Duration.ofMillis(100));

        Measurement measurement = measure(impatient.run(1, Duration.ZERO, Duration.ofSeconds(1), call -> Mono.never()));

        assertThat(measurement.completed()).isZero();
        assertThat(measurement.errors()).isEqualTo(10);
        assertThat(measurement.hasSamples()).isFalse();
        assertThat(measurement.throughput()).isZero();
    }

    @Test
    void warmUpCallsRunButAreNotRecorded() {
        java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();

        Measurement measurement = measure(loop.run(1, Duration.ofSeconds(1), Duration.ofSeconds(1), call -> {
            calls.incrementAndGet();
            return Mono.delay(Duration.ofMillis(10), time);
        }));

        assertThat(calls.get()).isEqualTo(200);
        assertThat(measurement.completed()).isEqualTo(100);
    }

    /** Subscribes, lets virtual time run until nothing is left to do, and takes the result. */
    private Measurement measure(Mono<Measurement> run) {
        java.util.concurrent.CompletableFuture<Measurement> result = run.toFuture();
        time.advanceTimeBy(Duration.ofMinutes(1));
        assertThat(result).as("the run ended within the virtual time given").isCompleted();
        return result.join();
    }
}
