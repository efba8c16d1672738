package com.phishnet.store.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.phishnet.store.platform.mongo.Lease;
import com.phishnet.store.support.MutableClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class BackupScheduleTest {

    private static final String DAILY_AT_0130 = "0 30 1 * * *";
    private static final Duration LEASE = Duration.ofHours(2);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T01:29:00Z"));
    private final Lease lease = mock(Lease.class);
    private final ScheduledBackups backups = mock(ScheduledBackups.class);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Logger logger = (Logger) LoggerFactory.getLogger(BackupSchedule.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
        when(backups.applyRetention()).thenReturn(Mono.just(0));
    }

    @AfterEach
    void releaseLogs() {
        logger.detachAppender(logs);
    }

    @Test
    void aLeaseHeldElsewhereSkipsTheBackupAndSaysSoAtInfo() {
        when(lease.tryAcquire(BackupSchedule.LEASE_NAME, LEASE)).thenReturn(Mono.just(false));

        StepVerifier.create(schedule(DAILY_AT_0130).runOnce()).verifyComplete();

        verify(backups, never()).backupAndVerify();
        verify(backups, never()).applyRetention();
        assertThat(logged(Level.INFO)).anyMatch(line -> line.contains("skipped"));
    }

    @Test
    void aFailedBackupIsCountedAndLoggedAtErrorBehindTheAlertMarker() {
        leaseFree();
        when(backups.backupAndVerify()).thenReturn(Mono.just(new ScheduledBackups.Outcome("b-17", false, false,
                "snapshot window exceeded")));

        StepVerifier.create(schedule(DAILY_AT_0130).runOnce()).verifyComplete();

        assertThat(failures("failed")).isEqualTo(1);
        assertThat(logged(Level.ERROR)).singleElement().satisfies(line -> assertThat(line)
                .startsWith(BackupSchedule.FAILURE_MARKER).contains("b-17", "snapshot window exceeded"));
    }

    @Test
    void aCompletedBackupThatDidNotVerifyCountsAsUnverified() {
        leaseFree();
        when(backups.backupAndVerify()).thenReturn(Mono.just(new ScheduledBackups.Outcome("b-18", true, false,
                "checksum mismatch in users.bson")));

        StepVerifier.create(schedule(DAILY_AT_0130).runOnce()).verifyComplete();

        assertThat(failures("unverified")).isEqualTo(1);
        assertThat(failures("failed")).isZero();
        assertThat(logged(Level.ERROR)).singleElement().satisfies(line -> assertThat(line)
                .startsWith(BackupSchedule.FAILURE_MARKER).contains("b-18", "unverified", "checksum mismatch"));
    }

    @Test
    void aVerifiedBackupRecordsWhenItSucceededAndThenAppliesRetention() {
        leaseFree();
        when(backups.backupAndVerify()).thenReturn(Mono.just(new ScheduledBackups.Outcome("b-19", true, true, null)));
        BackupSchedule schedule = schedule(DAILY_AT_0130);
        assertThat(lastSuccess()).isNaN();

        StepVerifier.create(schedule.runOnce()).verifyComplete();

        assertThat(lastSuccess()).isEqualTo(clock.instant().getEpochSecond());
        verify(backups).applyRetention();
        assertThat(failures("failed") + failures("unverified")).isZero();
    }

    @Test
    void theLeaseIsTakenForTheConfiguredHoldAndKeptAfterTheRun() {
        leaseFree();
        when(backups.backupAndVerify()).thenReturn(Mono.just(new ScheduledBackups.Outcome("b-20", true, true, null)));

        StepVerifier.create(schedule(DAILY_AT_0130).runOnce()).verifyComplete();

        verify(lease).tryAcquire("backup-schedule", LEASE);
        verify(lease, never()).release(anyString());
    }

    @Test
    void aLeaseThatCannotBeAskedForCountsAsAFailedScheduledBackup() {
        when(lease.tryAcquire(any(), any())).thenReturn(Mono.error(new IllegalStateException("no primary")));

        StepVerifier.create(schedule(DAILY_AT_0130).runOnce()).verifyComplete();

        assertThat(failures("failed")).isEqualTo(1);
        assertThat(logged(Level.ERROR)).singleElement().satisfies(line -> assertThat(line)
                .startsWith(BackupSchedule.FAILURE_MARKER).contains("no primary"));
        verify(backups, never()).backupAndVerify();
    }

    @Test
    void aRetentionFailureIsLoggedButDoesNotUndoTheBackupsSuccess() {
        leaseFree();
        when(backups.backupAndVerify()).thenReturn(Mono.just(new ScheduledBackups.Outcome("b-21", true, true, null)));
        when(backups.applyRetention()).thenReturn(Mono.error(new IllegalStateException("store unreachable")));

        StepVerifier.create(schedule(DAILY_AT_0130).runOnce()).verifyComplete();

        assertThat(lastSuccess()).isEqualTo(clock.instant().getEpochSecond());
        assertThat(logged(Level.ERROR)).singleElement().satisfies(line -> assertThat(line)
                .startsWith(BackupSchedule.RETENTION_FAILURE_MARKER).contains("store unreachable"));
    }

    @Test
    void theNextFireTimeIsTheCronsNextInUtc() {
        BackupSchedule schedule = schedule(DAILY_AT_0130);

        assertThat(schedule.nextFireAfter(clock.instant())).isEqualTo(Instant.parse("2026-03-01T01:30:00Z"));
        assertThat(schedule.nextFireAfter(Instant.parse("2026-03-01T01:30:00Z")))
                .isEqualTo(Instant.parse("2026-03-02T01:30:00Z"));
    }

    @Test
    void aClockInAnotherZoneDoesNotMoveTheFireTime() {
        Clock newYork = Clock.fixed(clock.instant(), ZoneId.of("America/New_York"));
        BackupSchedule schedule = new BackupSchedule(properties(DAILY_AT_0130), lease, backups, newYork, meters);

        assertThat(schedule.nextFireAfter(newYork.instant())).isEqualTo(Instant.parse("2026-03-01T01:30:00Z"));
    }

    @Test
    void theLoopWaitsForTheFireTimeAndRunsItOnce() {
        when(lease.tryAcquire(any(), any())).thenReturn(Mono.just(false));

        StepVerifier.withVirtualTime(() -> schedule(DAILY_AT_0130).loop())
                .thenAwait(Duration.ofSeconds(59))
                .then(() -> verify(lease, never()).tryAcquire(any(), any()))
                .thenAwait(Duration.ofSeconds(1))
                .then(() -> verify(lease, times(1)).tryAcquire(any(), any()))
                // The wall clock still reads 01:29 (it lags the timer): the same fire time must not run again.
                .thenAwait(Duration.ofMinutes(5))
                .then(() -> verify(lease, times(1)).tryAcquire(any(), any()))
                .thenAwait(Duration.ofDays(1))
                .then(() -> verify(lease, times(2)).tryAcquire(any(), any()))
                .thenCancel()
                .verify();
    }

    @Test
    void afterShutdownNoFireTimeRuns() {
        VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
        try {
            BackupSchedule schedule = schedule(DAILY_AT_0130);
            schedule.start();

            schedule.destroy();
            time.advanceTimeBy(Duration.ofDays(2));

            verify(lease, never()).tryAcquire(any(), any());
        }
        finally {
            VirtualTimeScheduler.reset();
        }
    }

    @Test
    void aCronFiringMoreOftenThanTheLeaseLastsIsWarnedAboutAtStart() {
        VirtualTimeScheduler.getOrSet();
        try {
            BackupSchedule hourly = schedule("0 0 * * * *");
            hourly.start();
            hourly.destroy();
        }
        finally {
            VirtualTimeScheduler.reset();
        }

        assertThat(logged(Level.WARN)).singleElement().satisfies(line -> assertThat(line).contains("PT1H", "PT2H"));
    }

    @Test
    void anInvalidCronFailsAtStartupNamingThePropertyAndTheExpectedForm() {
        assertThatThrownBy(() -> schedule("0 30 1 * *"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("phishnet.backup.schedule.cron '0 30 1 * *'")
                .hasMessageContaining("six fields");
    }

    @Test
    void aLeaseThatIsNotPositiveFailsAtStartup() {
        assertThatThrownBy(() -> new BackupSchedule(properties(DAILY_AT_0130, Duration.ZERO), lease, backups, clock,
                meters)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schedule.lease");
    }

    @Test
    void aCronThatNeverFiresFailsAtStartup() {
        assertThatThrownBy(() -> schedule("0 0 0 30 2 *"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has no fire time");
    }

    @Test
    void theScheduleExistsOnlyWhenACronIsSet() {
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withUserConfiguration(Collaborators.class, BackupSchedule.class);

        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(BackupSchedule.class));
        runner.withPropertyValues("phishnet.backup.schedule.cron= ")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(BackupSchedule.class));
        runner.withPropertyValues("phishnet.backup.schedule.cron=" + DAILY_AT_0130)
                .run(context -> assertThat(context).hasSingleBean(BackupSchedule.class));
        runner.withPropertyValues("phishnet.backup.schedule.cron=daily")
                .run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("phishnet.backup.schedule.cron 'daily' is not a valid cron"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(BackupProperties.class)
    static class Collaborators {

        @Bean
        Lease lease() {
            return mock(Lease.class);
        }

        @Bean
        ScheduledBackups scheduledBackups() {
            return mock(ScheduledBackups.class);
        }

        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    private void leaseFree() {
        when(lease.tryAcquire(BackupSchedule.LEASE_NAME, LEASE)).thenReturn(Mono.just(true));
    }

    private BackupSchedule schedule(String cron) {
        return new BackupSchedule(properties(cron), lease, backups, clock, meters);
    }

    private static BackupProperties properties(String cron) {
        return properties(cron, LEASE);
    }

    private static BackupProperties properties(String cron, Duration lease) {
        return new BackupProperties(BackupProperties.StoreKind.FILESYSTEM, Path.of("target/backups"),
                Path.of("target/backup-staging"), new BackupProperties.S3(null, "us-east-1", null, "phishnet-backups/",
                        null, null, false),
                new BackupProperties.Encryption("backup-1", null, null), 1000, 2, Duration.ofSeconds(300),
                new BackupProperties.Retention(7, 30), new BackupProperties.Schedule(cron, lease));
    }

    private double failures(String reason) {
        return meters.get(BackupSchedule.FAILURES).tag("reason", reason).counter().count();
    }

    private double lastSuccess() {
        return meters.get(BackupSchedule.LAST_SUCCESS).gauge().value();
    }

    private List<String> logged(Level level) {
        return logs.list.stream().filter(event -> event.getLevel() == level).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }
}
