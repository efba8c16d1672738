package com.phishnet.store.retention;

import java.time.Clock;
import java.time.Duration;

import com.phishnet.store.jobs.JobState;
import com.phishnet.store.platform.mongo.Lease;
import com.phishnet.store.platform.time.CronSchedule;
import com.phishnet.store.platform.web.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The daily retention run ({@code phishnet.retention.run.cron}, UTC, 02:00 by default): at each fire time one
 * instance takes the lease {@value #LEASE_NAME} and runs retention to the end; the others skip that fire time. The
 * lease is kept until it expires, as the backup schedule's is. A failed run counts in {@value #FAILURES} and logs
 * at ERROR a line starting {@value #FAILURE_MARKER}.
 */
@Component
@ConditionalOnProperty(name = "phishnet.retention.run.scheduled", havingValue = "true", matchIfMissing = true)
public class RetentionSchedule implements DisposableBean {

    public static final String FAILURE_MARKER = "RETENTION_SCHEDULED_FAILED";
    public static final String FAILURES = "phishnet.retention.scheduled.failures";
    static final String LEASE_NAME = "retention-run";

    private static final Logger log = LoggerFactory.getLogger(RetentionSchedule.class);

    private final CronSchedule cron;
    private final Duration leaseHold;
    private final Lease lease;
    private final RetentionRuns runs;
    private final Clock clock;
    private final Counter failures;
    private volatile Disposable running;

    public RetentionSchedule(RetentionProperties properties, Lease lease, RetentionRuns runs, Clock clock,
            MeterRegistry meters) {
        this.cron = CronSchedule.parse("phishnet.retention.run.cron", properties.run().cron(), clock.instant());
        this.leaseHold = properties.run().lease();
        if (leaseHold.isNegative() || leaseHold.isZero()) {
            throw new IllegalArgumentException("phishnet.retention.run.lease must be positive (longer than a run takes),"
                    + " not " + leaseHold);
        }
        this.lease = lease;
        this.runs = runs;
        this.clock = clock;
        this.failures = Counter.builder(FAILURES).description("Scheduled retention runs that failed").register(meters);
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        log.info("Retention runs: cron '{}' (UTC), next at {}, lease held {}", cron.text(),
                cron.nextFireAfter(clock.instant()), leaseHold);
        running = loop().subscribe(null, failure -> log.error("{} the retention schedule stopped: {}", FAILURE_MARKER,
                failure.toString(), failure));
    }

    @Override
    public void destroy() {
        Disposable loop = running;
        if (loop != null) {
            loop.dispose();
        }
    }

    Flux<Void> loop() {
        return cron.loop(clock, this::runOnce);
    }

    /** One fire time: the lease, then a run to its end. Never errors: a failure is counted and logged. */
    Mono<Void> runOnce() {
        return Mono.defer(() -> lease.tryAcquire(LEASE_NAME, leaseHold))
                .flatMap(acquired -> acquired ? runs.runScheduled().doOnNext(this::record).then()
                        : Mono.fromRunnable(() -> log.info("Scheduled retention run skipped: lease '{}' is held by"
                                + " another instance (or by this one's run less than {} ago)", LEASE_NAME, leaseHold)))
                .onErrorResume(ApiException.Conflict.class, running -> Mono.fromRunnable(() -> log.info(
                        "Scheduled retention run skipped: {}", running.getMessage())))
                .onErrorResume(failure -> {
                    report(null, failure.toString());
                    return Mono.empty();
                });
    }

    private void record(RetentionRun run) {
        if (run.state() == JobState.COMPLETED) {
            log.info("Scheduled retention run {} archived {} and deleted {} document(s)", run.id(), run.archived(),
                    run.deleted());
        }
        else {
            report(run.id(), run.error());
        }
    }

    private void report(String runId, String error) {
        failures.increment();
        log.error("{} runId={} error={}", FAILURE_MARKER, runId, error);
    }
}
