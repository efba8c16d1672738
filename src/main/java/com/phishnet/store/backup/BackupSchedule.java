package com.phishnet.store.backup;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import com.phishnet.store.platform.mongo.Lease;
import com.phishnet.store.platform.time.CronSchedule;
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
import reactor.core.Disposable;
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

    private final CronSchedule cron;
    private final Duration leaseHold;
    private final Lease lease;
    private final ScheduledBackups backups;
    private final Clock clock;
    private final Counter failed;
    private final Counter unverified;
    private final AtomicLong lastSuccessEpochSecond = new AtomicLong(NEVER);
    private volatile Disposable running;

    public BackupSchedule(BackupProperties properties, Lease lease, ScheduledBackups backups, Clock clock,
            MeterRegistry meters) {
        this.cron = CronSchedule.parse("phishnet.backup.schedule.cron", properties.schedule().cron(), clock.instant());
        this.leaseHold = properties.schedule().lease();
        if (leaseHold.isNegative() || leaseHold.isZero()) {
            throw new IllegalArgumentException("phishnet.backup.schedule.lease must be positive (longer than any backup"
                    + " takes), not " + leaseHold);
        }
        this.lease = lease;
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
        Instant first = nextFireAfter(clock.instant());
        Instant second = nextFireAfter(first);
        log.info("Scheduled backups: cron '{}' (UTC), next at {}, lease held {}", cron.text(), first, leaseHold);
        // The lease is kept until it expires (see backUpThenApplyRetention), and it is not re-entrant.
        if (Duration.between(first, second).compareTo(leaseHold) <= 0) {
            log.warn("Scheduled backups fire every {} but hold their lease {}: a fire time within the lease of the"
                    + " previous run is skipped", Duration.between(first, second), leaseHold);
        }
        running = loop().subscribe(null, failure -> log.error("{} the backup schedule stopped: {}", FAILURE_MARKER,
                failure.toString(), failure));
    }

    @Override
    public void destroy() {
        Disposable loop = running;
        if (loop != null) {
            loop.dispose();
        }
    }

    /** Waits for each fire time in turn and runs it; ends only when disposed. */
    Flux<Void> loop() {
        return cron.loop(clock, this::runOnce);
    }

    /** One fire time: take the lease, back up and verify, apply retention. Never errors: failures are reported. */
    Mono<Void> runOnce() {
        return Mono.defer(() -> lease.tryAcquire(LEASE_NAME, leaseHold))
                .flatMap(acquired -> acquired ? backUpThenApplyRetention() : skipHeldLease())
                .onErrorResume(failure -> {
                    reportFailure(failed, REASON_FAILED, null, failure.toString());
                    return Mono.empty();
                });
    }

    /** The next fire time strictly after {@code after}. */
    Instant nextFireAfter(Instant after) {
        return cron.nextFireAfter(after);
    }

    /**
     * The lease is not released afterwards: held until it expires, it also turns away an instance whose clock is a
     * little behind and that would otherwise fire this same run again once this one has finished.
     */
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

    private Mono<Void> skipHeldLease() {
        return Mono.fromRunnable(() -> log.info("Scheduled backup skipped: lease '{}' is held by another instance"
                + " (or by this one's run less than {} ago)", LEASE_NAME, leaseHold));
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
