package com.phishnet.store.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.phishnet.store.jobs.JobState;
import com.phishnet.store.platform.mongo.Lease;
import com.phishnet.store.platform.web.ApiException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The daily run: one instance through the lease, a failed run counted behind its alert marker, a busy one skipped. */
class RetentionScheduleTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    private final Lease lease = mock(Lease.class);
    private final RetentionRuns runs = mock(RetentionRuns.class);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Logger logger = (Logger) LoggerFactory.getLogger(RetentionSchedule.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        logger.detachAppender(logs);
    }

    @Test
    void aLeaseHeldElsewhereSkipsTheRun() {
        when(lease.tryAcquire(RetentionSchedule.LEASE_NAME, Duration.ofHours(6))).thenReturn(Mono.just(false));

        StepVerifier.create(schedule("0 0 2 * * *").runOnce()).verifyComplete();

        verify(runs, never()).runScheduled();
        assertThat(logged(Level.INFO)).anyMatch(line -> line.contains("skipped"));
    }

    @Test
    void aFailedRunIsCountedAndLoggedBehindTheAlertMarker() {
        when(lease.tryAcquire(any(), any())).thenReturn(Mono.just(true));
        when(runs.runScheduled()).thenReturn(Mono.just(run(JobState.FAILED, "archive did not verify")));

        StepVerifier.create(schedule("0 0 2 * * *").runOnce()).verifyComplete();

        assertThat(meters.counter(RetentionSchedule.FAILURES).count()).isEqualTo(1);
        assertThat(logged(Level.ERROR)).singleElement().satisfies(line -> assertThat(line)
                .startsWith(RetentionSchedule.FAILURE_MARKER).contains("r-1", "archive did not verify"));
    }

    @Test
    void aRunThatEndsWithoutAnyRecordedOutcomeStillRaisesTheAlert() {
        when(lease.tryAcquire(any(), any())).thenReturn(Mono.just(true));
        when(runs.runScheduled()).thenReturn(Mono.empty());

        StepVerifier.create(schedule("0 0 2 * * *").runOnce()).verifyComplete();

        assertThat(meters.counter(RetentionSchedule.FAILURES).count()).isEqualTo(1);
        assertThat(logged(Level.ERROR)).singleElement().satisfies(line -> assertThat(line)
                .startsWith(RetentionSchedule.FAILURE_MARKER).contains("without a recorded outcome"));
    }

    @Test
    void aRunAlreadyInProgressIsASkipNotAFailure() {
        when(lease.tryAcquire(any(), any())).thenReturn(Mono.just(true));
        when(runs.runScheduled()).thenReturn(Mono.error(new ApiException.Conflict("Retention run r-0 is still running.",
                null)));

        StepVerifier.create(schedule("0 0 2 * * *").runOnce()).verifyComplete();

        assertThat(meters.counter(RetentionSchedule.FAILURES).count()).isZero();
        assertThat(logged(Level.INFO)).anyMatch(line -> line.contains("r-0 is still running"));
    }

    @Test
    void aCompletedRunIsNoFailure() {
        when(lease.tryAcquire(any(), any())).thenReturn(Mono.just(true));
        when(runs.runScheduled()).thenReturn(Mono.just(run(JobState.COMPLETED, null)));

        StepVerifier.create(schedule("0 0 2 * * *").runOnce()).verifyComplete();

        assertThat(meters.counter(RetentionSchedule.FAILURES).count()).isZero();
        assertThat(logged(Level.ERROR)).isEmpty();
    }

    @Test
    void theDefaultsRunDailyAtTwoUtcHoldingTheLeaseSixHours() {
        RetentionProperties defaults = new org.springframework.boot.context.properties.bind.Binder(
                new org.springframework.boot.context.properties.source.MapConfigurationPropertySource())
                .bindOrCreate("phishnet.retention", RetentionProperties.class);

        RetentionSchedule schedule = new RetentionSchedule(defaults, lease, runs, Clock.fixed(NOW, ZoneOffset.UTC), meters);

        assertThat(defaults.run().scheduled()).isTrue();
        assertThat(defaults.run().lease()).isEqualTo(Duration.ofHours(6));
        assertThat(schedule.nextFireAfter(NOW)).isEqualTo(Instant.parse("2026-12-07T02:00:00Z"));
    }

    @Test
    void aBadCronFailsAtStartupNamingItsSetting() {
        assertThatThrownBy(() -> schedule("0 0 2 * *")).hasMessageContaining("phishnet.retention.run.cron");
    }

    private RetentionSchedule schedule(String cron) {
        var properties = new RetentionProperties(new RetentionProperties.Days(90, 365, 730, 1095, 180),
                new RetentionProperties.Minimum(365), new RetentionProperties.Run(true, cron, Duration.ofHours(6), 1000,
                        Duration.ofMillis(50), 20_000, 250_000));
        return new RetentionSchedule(properties, lease, runs, Clock.fixed(NOW, ZoneOffset.UTC), meters);
    }

    private static RetentionRun run(JobState state, String error) {
        return new RetentionRun("r-1", state, RetentionRun.Trigger.SCHEDULED, RetentionRun.Phase.DONE, "s", "t", NOW, NOW,
                "a-1", List.of(), 0, 0, List.of(), error);
    }

    private List<String> logged(Level level) {
        return logs.list.stream().filter(event -> event.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }
}
