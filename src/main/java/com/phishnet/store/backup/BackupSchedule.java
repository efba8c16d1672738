package com.phishnet.store.backup;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import com.phishnet.store.platform.mongo.Lease;
import com.phishnet.store.platform.mongo.LeasedSchedule;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.event.EventListener;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The optional scheduled backup ({@code phishnet.backup.schedule.cron}, in UTC): at each fire time one instance
 * takes the schedule's lease, makes and verifies a backup, then applies retention. Instances that find the lease
 * held skip that fire time. Waiting is a {@code Mono.delay} on a Reactor scheduler: no thread sleeps until then.
 * <p>
 * A failed or unverified backup counts in {@value #FAILURES} (tag {@code reason}) and logs at ERROR a line that
 * begins with {@value #FAILURE_MARKER}, for alerts to key on; a good one sets {@value #LAST_SUCCESS} (epoch
 * seconds; NaN until this instance has made one).
 */
@Component
@Conditional(BackupSchedule.Enabled.class)
public class BackupSchedule implements DisposableBean {

    public static final String FAILURE_MARKER = "BACKUP_SCHEDULED_FAILED";
    public static final String RETENTION_FAILURE_MARKER = "BACKUP_RETENTION_FAILED";
    public static final String FAILURES = "phishnet.backup.scheduled.failures";
    public static final String LAST_SUCCESS = "phishnet.backup.scheduled.last.success";

    static final String LEASE_NAME = "backup-schedule";
    static final String REASON_FAILED = "failed";
    static final String REASON_UNVERIFIED = "unverified";

    private static final Logger log = LoggerFactory.getLogger(BackupSchedule.class);
    private static final long NEVER = -1;

    private final LeasedSchedule schedule;
    private final ScheduledBackups backups;
    private final Clock clock;
    private final Counter failed;
    private final Counter unverified;
    private final AtomicLong lastSuccessEpochSecond = new AtomicLong(NEVER);

    public BackupSchedule(BackupProperties properties, Lease lease, ScheduledBackups backups, Clock clock,
            MeterRegistry meters) {
        this.schedule = new LeasedSchedule("Scheduled backups", "phishnet.backup.schedule", properties.schedule().cron(),
                properties.schedule().lease(), "longer than any backup takes", LEASE_NAME, lease, clock, log);
        this.backups = backups;
        this.clock = clock;
        this.failed = failures(meters, REASON_FAILED);
        this.unverified = failures(meters, REASON_UNVERIFIED);
        Gauge.builder(LAST_SUCCESS, lastSuccessEpochSecond,
                        last -> last.get() == NEVER ? Double.NaN : last.get())
                .description("When this instance last made a scheduled backup that completed and verified")
                .baseUnit("seconds")
                .register(meters);
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        schedule.start(this::runOnce, FAILURE_MARKER);
    }

    @Override
    public void destroy() {
        schedule.stop();
    }

    /** Waits for each fire time in turn and runs it; ends only when disposed. */
    Flux<Void> loop() {
        return schedule.loop(this::runOnce);
    }

    /** One fire time: take the lease, back up and verify, apply retention. Never errors: failures are reported. */
    Mono<Void> runOnce() {
        return schedule.whenLeased(this::backUpThenApplyRetention)
                .onErrorResume(failure -> {
                    reportFailure(failed, REASON_FAILED, null, failure.toString());
                    return Mono.empty();
                });
    }

    /** The next fire time strictly after {@code after}. */
    Instant nextFireAfter(Instant after) {
        return schedule.nextFireAfter(after);
    }

    private Mono<Void> backUpThenApplyRetention() {
        return backups.backupAndVerify()
                .switchIfEmpty(Mono.fromSupplier(() -> new ScheduledBackups.Outcome(null, false, false,
                        "the backup service reported no outcome")))
                .doOnNext(this::record)
                // Also after a failed backup: retention never deletes the newest verified backup, and it removes
                // failed ones that have aged out.
                .then(applyRetention());
    }

    private Mono<Void> applyRetention() {
        return backups.applyRetention()
                .doOnNext(deleted -> log.info("Backup retention deleted {} backup(s)", deleted))
                .onErrorResume(failure -> {
                    log.error("{} error={}", RETENTION_FAILURE_MARKER, failure.toString(), failure);
                    return Mono.empty();
                })
                .then();
    }

    private void record(ScheduledBackups.Outcome outcome) {
        if (!outcome.completed()) {
            reportFailure(failed, REASON_FAILED, outcome.backupId(), outcome.error());
        }
        else if (!outcome.verified()) {
            reportFailure(unverified, REASON_UNVERIFIED, outcome.backupId(), outcome.error());
        }
        else {
            lastSuccessEpochSecond.set(clock.instant().getEpochSecond());
            log.info("Scheduled backup {} completed and verified", outcome.backupId());
        }
    }

    private void reportFailure(Counter counter, String reason, String backupId, String error) {
        counter.increment();
        log.error("{} backupId={} reason={} error={}", FAILURE_MARKER, backupId, reason, error);
    }

    private static Counter failures(MeterRegistry meters, String reason) {
        return Counter.builder(FAILURES)
                .description("Scheduled backups that failed, or completed but did not verify")
                .tag("reason", reason)
                .register(meters);
    }

    /** Present only when {@code phishnet.backup.schedule.cron} is set, as {@link BackupProperties.Schedule#enabled}. */
    static final class Enabled extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            boolean enabled = Binder.get(context.getEnvironment())
                    .bind("phishnet.backup.schedule", BackupProperties.Schedule.class)
                    .map(BackupProperties.Schedule::enabled)
                    .orElse(false);
            return enabled ? ConditionOutcome.match("phishnet.backup.schedule.cron is set")
                    : ConditionOutcome.noMatch("phishnet.backup.schedule.cron is not set");
        }
    }
}
