package com.phishnet.store.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

class KeyedSequencerTest {

    private final KeyedSequencer sequencer = new KeyedSequencer();

    @Test
    void unitsOfOneKeyNeverOverlap() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();

        Flux.range(0, 50)
                .flatMap(i -> sequencer.run("acme", () -> Mono.fromRunnable(() ->
                                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max))
                        .then(Mono.delay(Duration.ofMillis(1)))
                        .doOnTerminate(running::decrementAndGet)), 50)
                .blockLast(Duration.ofSeconds(10));

        assertThat(maxRunning.get()).isEqualTo(1);
        assertThat(sequencer.activeKeys()).isZero();
    }

    @Test
    void unitsRunInTheOrderTheyWereSubscribed() {
        List<Integer> order = new CopyOnWriteArrayList<>();
        TestPublisher<String> first = TestPublisher.create();

        Mono<String> a = sequencer.run("k", () -> first.mono().doOnNext(v -> order.add(1)));
        Mono<String> b = sequencer.run("k", () -> Mono.fromCallable(() -> { order.add(2); return "b"; }));

        StepVerifier.create(Mono.zip(a, b))
                .then(() -> assertThat(order).isEmpty())
                .then(() -> first.emit("a"))
                .expectNextCount(1)
                .verifyComplete();
        assertThat(order).containsExactly(1, 2);
    }

    @Test
    void aFailedUnitReleasesTheKey() {
        StepVerifier.create(sequencer.run("k", () -> Mono.error(new IllegalStateException("boom"))))
                .verifyErrorMessage("boom");

        StepVerifier.create(sequencer.run("k", () -> Mono.just("next"))).expectNext("next").verifyComplete();
    }

    @Test
    void aCancelledUnitReleasesTheKey() {
        StepVerifier.create(sequencer.run("k", Mono::never)).thenCancel().verify();

        StepVerifier.create(sequencer.run("k", () -> Mono.just("after"))).expectNext("after").verifyComplete();
    }

    @Test
    void theErrorHandlerOfAUnitMayUseTheSameKey() {
        Mono<String> unit = sequencer.run("k", () -> Mono.<String>error(new IllegalStateException("denied")))
                .onErrorResume(failure -> sequencer.run("k", () -> Mono.just("audited")));

        StepVerifier.create(unit).expectNext("audited").expectComplete().verify(Duration.ofSeconds(2));
    }

    @Test
    void differentKeysRunConcurrently() {
        TestPublisher<String> blocked = TestPublisher.create();
        sequencer.run("a", blocked::mono).subscribe();

        StepVerifier.create(sequencer.run("b", () -> Mono.just("free"))).expectNext("free").verifyComplete();
        blocked.emit("done");
    }
}
