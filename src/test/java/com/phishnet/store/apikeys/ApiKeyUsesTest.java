package com.phishnet.store.apikeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import com.phishnet.store.apikeys.ApiKeyRequests.ApiKeyProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Last-use times: kept in memory per key (latest wins), written per interval, kept again when a write fails. */
class ApiKeyUsesTest {

    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    private final ApiKeyRepository repository = mock(ApiKeyRepository.class);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ApiKeyUses uses = new ApiKeyUses(repository,
            new ApiKeyProperties(Duration.ofSeconds(60), Duration.ofDays(730), Duration.ofHours(24)), meters);
    private final List<List<ApiKeyUses.Use>> written = new ArrayList<>();

    @Test
    void manyUsesOfOneKeyBecomeOneUpdateWithTheLatestTime() {
        writesSucceed();
        uses.record("acme", "k-1", T0.plusSeconds(5));
        uses.record("acme", "k-1", T0);
        uses.record("acme", "k-1", T0.plusSeconds(3));
        uses.record("acme", "k-2", T0.plusSeconds(1));

        StepVerifier.create(uses.flush()).expectNext(2).verifyComplete();

        assertThat(written).singleElement().asList().containsExactlyInAnyOrder(
                new ApiKeyUses.Use("acme", "k-1", T0.plusSeconds(5)), new ApiKeyUses.Use("acme", "k-2", T0.plusSeconds(1)));
        assertThat(uses.pending()).isEmpty();
    }

    @Test
    void aFlushWithNothingRecordedWritesNothing() {
        StepVerifier.create(uses.flush()).expectNext(0).verifyComplete();

        verify(repository, never()).recordUses(anyCollection());
    }

    @Test
    void aFailedFlushIsCountedNeverErrorsAndKeepsItsTimesForTheNextUnlessNewerArrived() {
        given(repository.recordUses(anyCollection())).willReturn(Mono.error(new IllegalStateException("no primary")));
        uses.record("acme", "k-1", T0);
        uses.record("acme", "k-2", T0);

        StepVerifier.create(uses.flush()).expectNext(0).verifyComplete();
        uses.record("acme", "k-2", T0.plusSeconds(9));

        assertThat(meters.counter(ApiKeyUses.FAILURES).count()).isEqualTo(1.0);
        assertThat(uses.pending()).containsOnlyKeys("k-1", "k-2");
        assertThat(uses.pending().get("k-1").at()).isEqualTo(T0);
        assertThat(uses.pending().get("k-2").at()).isEqualTo(T0.plusSeconds(9));
    }

    @Test
    void aRepositoryThatThrowsInsteadOfErroringIsAFailedFlushToo() {
        given(repository.recordUses(anyCollection())).willThrow(new IllegalStateException("closed"));
        uses.record("acme", "k-1", T0);

        StepVerifier.create(uses.flush()).expectNext(0).verifyComplete();

        assertThat(uses.pending()).containsOnlyKeys("k-1");
    }

    @Test
    void theLoopFlushesOncePerInterval() {
        writesSucceed();
        VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();
        uses.record("acme", "k-1", T0);

        StepVerifier.withVirtualTime(() -> uses.loop(scheduler).take(2), () -> scheduler, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(59))
                .thenAwait(Duration.ofSeconds(1))
                .expectNext(1)
                .then(() -> uses.record("acme", "k-3", T0.plusSeconds(70)))
                .thenAwait(Duration.ofSeconds(60))
                .expectNext(1)
                .verifyComplete();

        assertThat(written).hasSize(2);
        assertThat(written.get(1)).extracting(ApiKeyUses.Use::keyId).containsExactly("k-3");
    }

    @Test
    void aFlushCancelledInFlightPutsItsTimesBack() {
        given(repository.recordUses(anyCollection())).willReturn(Mono.never());
        uses.record("acme", "k-1", T0);

        uses.flush().subscribe().dispose();

        assertThat(uses.pending()).containsEntry("k-1", new ApiKeyUses.Use("acme", "k-1", T0));
    }

    @Test
    @SuppressWarnings("unchecked")
    void shutdownDuringAFlushInFlightWritesItsTimesInTheLastFlush() {
        List<List<ApiKeyUses.Use>> attempted = new ArrayList<>();
        // The loop's flush hangs (a slow primary); the shutdown's flush is answered.
        given(repository.recordUses(anyCollection())).willAnswer(invocation -> {
            Collection<ApiKeyUses.Use> batch = invocation.getArgument(0);
            attempted.add(List.copyOf(batch));
            return attempted.size() == 1 ? Mono.never() : Mono.just(batch.size());
        });
        VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();
        uses.record("acme", "k-1", T0);
        uses.start(scheduler);
        scheduler.advanceTimeBy(Duration.ofSeconds(60));
        assertThat(attempted).hasSize(1);
        assertThat(uses.pending()).isEmpty();
        uses.record("acme", "k-2", T0.plusSeconds(61));

        AtomicBoolean stopped = new AtomicBoolean();
        uses.stop(() -> stopped.set(true));

        assertThat(stopped).isTrue();
        assertThat(uses.isRunning()).isFalse();
        assertThat(attempted).hasSize(2);
        assertThat(attempted.get(1)).containsExactlyInAnyOrder(new ApiKeyUses.Use("acme", "k-1", T0),
                new ApiKeyUses.Use("acme", "k-2", T0.plusSeconds(61)));
        assertThat(uses.pending()).isEmpty();
        assertThat(meters.counter(ApiKeyUses.FAILURES).count()).isZero();
    }

    @Test
    void aShutdownFlushThatFailsStillEndsTheStopAndKeepsItsTimes() {
        given(repository.recordUses(anyCollection())).willReturn(Mono.error(new IllegalStateException("no primary")));
        uses.record("acme", "k-1", T0);
        AtomicBoolean stopped = new AtomicBoolean();

        uses.stop(() -> stopped.set(true));

        assertThat(stopped).isTrue();
        assertThat(uses.pending()).containsOnlyKeys("k-1");
        assertThat(meters.counter(ApiKeyUses.FAILURES).count()).isEqualTo(1);
    }

    @Test
    void itStopsAfterTheWebServersGracefulShutdown() {
        // A lower phase stops later: requests finishing during the graceful shutdown still have their uses written.
        assertThat(uses.getPhase()).isLessThan(org.springframework.context.SmartLifecycle.DEFAULT_PHASE - 2048);
    }

    @SuppressWarnings("unchecked")
    private void writesSucceed() {
        given(repository.recordUses(anyCollection())).willAnswer(invocation -> {
            Collection<ApiKeyUses.Use> batch = invocation.getArgument(0);
            written.add(List.copyOf(batch));
            return Mono.just(batch.size());
        });
    }
}
