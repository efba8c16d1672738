package com.phishnet.store.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

class StreamsHealthIndicatorTest {

    final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    final StreamProperties properties = SubscriptionsTest.properties(1000, 10, 100, 10);
    final StreamMetrics metrics = new StreamMetrics(new SimpleMeterRegistry());
    final Map<StreamKind, TestChanges> sources = new EnumMap<>(StreamKind.class);
    final Map<StreamKind, SharedStream<?>> shared = new EnumMap<>(StreamKind.class);
    final StreamService streams = mock(StreamService.class);
    final StreamsHealthIndicator indicator = new StreamsHealthIndicator(streams);

    @BeforeEach
    void oneSharedStreamPerKind() {
        for (StreamKind kind : StreamKind.values()) {
            TestChanges changes = new TestChanges();
            sources.put(kind, changes);
            shared.put(kind, new SharedStream<>(kind, changes, changes.afterLastCommit(), properties, metrics,
                    Clock.fixed(SubscriptionsTest.NOW, ZoneOffset.UTC), time, Schedulers.immediate()));
        }
        given(streams.sharedStreams()).willReturn(shared);
    }

    @SuppressWarnings("unchecked")
    SharedStream<TestChanges.Change> stream(StreamKind kind) {
        return (SharedStream<TestChanges.Change>) shared.get(kind);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> details(Health health, StreamKind kind) {
        return (Map<String, Object>) health.getDetails().get(kind.tag());
    }

    @Test
    void upWhileNoCursorIsNeededYet() {
        Health health = indicator.health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsOnlyKeys("scans", "threats", "audit", "jobs");
        assertThat(details(health, StreamKind.SCANS)).isEqualTo(Map.of("cursor", "IDLE", "subscribers", 0));
    }

    @Test
    void upWithOpenCursorsAndSaysHowManyFollowEach() {
        stream(StreamKind.SCANS).register(change -> true);
        stream(StreamKind.SCANS).register(change -> true);
        stream(StreamKind.JOBS).register(change -> true);

        Health health = indicator.health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(details(health, StreamKind.SCANS)).containsEntry("cursor", "UP").containsEntry("subscribers", 2);
        assertThat(details(health, StreamKind.JOBS)).containsEntry("cursor", "UP").containsEntry("subscribers", 1);
        assertThat(details(health, StreamKind.AUDIT)).containsEntry("cursor", "IDLE");
    }

    @Test
    void degradedWhileOneCursorReconnectsWithItsFailureShownThenUpAgain() {
        stream(StreamKind.SCANS).register(change -> true);
        stream(StreamKind.THREATS).register(change -> true);
        sources.get(StreamKind.THREATS).fail(new IllegalStateException("primary stepped down"));

        Health degraded = indicator.health();

        assertThat(degraded.getStatus()).isEqualTo(StreamsHealthIndicator.DEGRADED);
        assertThat(details(degraded, StreamKind.THREATS)).containsEntry("cursor", "RECONNECTING")
                .containsEntry("lastFailure", "IllegalStateException: primary stepped down")
                .containsEntry("lastFailureAt", SubscriptionsTest.NOW.toString());
        assertThat(details(degraded, StreamKind.SCANS)).containsEntry("cursor", "UP").doesNotContainKey("lastFailure");

        // Reopened after the pause, and counted as up after a quiet spell; the last failure stays on show.
        time.advanceTimeBy(properties.reconnectMin());
        assertThat(indicator.health().getStatus()).isEqualTo(StreamsHealthIndicator.DEGRADED);
        time.advanceTimeBy(properties.healthyAfter());
        Health recovered = indicator.health();
        assertThat(recovered.getStatus()).isEqualTo(Status.UP);
        assertThat(details(recovered, StreamKind.THREATS)).containsEntry("cursor", "UP").containsKey("lastFailure");
    }
}
