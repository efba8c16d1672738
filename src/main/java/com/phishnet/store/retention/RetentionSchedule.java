package com.phishnet.store.retention;

import java.time.Clock;
import java.time.Instant;

import com.phishnet.store.jobs.JobState;
import com.phishnet.store.platform.mongo.Lease;
import com.phishnet.store.platform.mongo.LeasedSchedule;
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

    private final LeasedSchedule schedule;
    private final RetentionRuns runs;
    private final Counter failures;

    public RetentionSchedule(RetentionProperties properties, Lease lease, RetentionRuns runs, Clock clock,
            MeterRegistry meters) {
        this.schedule = new LeasedSchedule("Scheduled retention runs", "phishnet.retention.run", properties.run().cron(),
                properties.run().lease(), "longer than a run takes", LEASE_NAME, lease, clock, log);
        this.runs = runs;
        this.failures = Counter.builder(FAILURES).description("Scheduled retention runs that failed").register(meters);
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        schedule.start(this::runOnce, FAILURE_MARKER);
    }

    @Override
    public void destroy() {
        schedule.stop();
    }

    Instant nextFireAfter(Instant after) {
        return schedule.nextFireAfter(after);
    }

    /** One fire time: the lease, then a run to its end. Never errors: a failure is counted and logged. */
    Mono<Void> runOnce() {
        return schedule.whenLeased(() -> runs.runScheduled().doOnNext(this::record)
                        // No outcome at all: the run could not even record its failure (see the log before this line).
                        .switchIfEmpty(Mono.fromRunnable(() -> report(null, "the run ended without a recorded outcome")))
                        .then())
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
