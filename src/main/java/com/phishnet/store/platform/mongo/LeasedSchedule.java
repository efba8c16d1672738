package com.phishnet.store.platform.mongo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.slf4j.Logger;

import org.springframework.scheduling.support.CronExpression;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Scheduled work that runs on one instance at a time: a cron expression read in UTC, and at each fire time a
 * {@link Lease} taken for {@code leaseHold} before the work starts; an instance that finds the lease held skips that
 * fire time. The lease is not released when the work ends: held until it expires, it also turns away an instance whose
 * clock is a little behind and would otherwise fire the same run again.
 * <p>
 * Waiting is a {@code Mono.delay} on a Reactor scheduler: no thread sleeps until then. Settings are checked when the
 * schedule is made: a bad expression, one that never fires (30 February), or a lease that is not positive fails at
 * startup naming its setting. Logs go to the owner's logger, so each schedule's lines say whose they are.
 */
public final class LeasedSchedule {

    private final String what;
    private final String settings;
    private final String cronText;
    private final CronExpression cron;
    private final String leaseName;
    private final Duration leaseHold;
    private final Lease lease;
    private final Clock clock;
    private final Logger log;
    private volatile Disposable running;

    /**
     * @param what      how the log names the work ("Scheduled backups")
     * @param settings  the prefix of its settings ({@code phishnet.backup.schedule}: {@code .cron}, {@code .lease})
     * @param leaseHint why the lease must be long ("longer than any backup takes")
     */
    public LeasedSchedule(String what, String settings, String cronText, Duration leaseHold, String leaseHint,
            String leaseName, Lease lease, Clock clock, Logger log) {
        this.what = what;
        this.settings = settings;
        this.cronText = cronText;
        this.cron = parse(settings + ".cron", cronText);
        if (leaseHold.isNegative() || leaseHold.isZero()) {
            throw new IllegalArgumentException(settings + ".lease must be positive (" + leaseHint + "), not " + leaseHold);
        }
        this.leaseName = leaseName;
        this.leaseHold = leaseHold;
        this.lease = lease;
        this.clock = clock;
        this.log = log;
        nextFireAfter(clock.instant());
    }

    /** Starts waiting for the fire times; {@code failureMarker} begins the ERROR line should the loop itself stop. */
    public void start(Supplier<Mono<Void>> fire, String failureMarker) {
        Instant first = nextFireAfter(clock.instant());
        Instant second = nextFireAfter(first);
        log.info("{}: cron '{}' (UTC), next at {}, lease held {}", what, cronText, first, leaseHold);
        if (Duration.between(first, second).compareTo(leaseHold) <= 0) {
            log.warn("{} fire every {} but hold their lease {}: a fire time within the lease of the previous run is"
                    + " skipped", what, Duration.between(first, second), leaseHold);
        }
        running = loop(fire).subscribe(null, failure -> log.error("{} {} stopped: {}", failureMarker, what,
                failure.toString(), failure));
    }

    public void stop() {
        Disposable loop = running;
        if (loop != null) {
            loop.dispose();
        }
    }

    /** Waits for each fire time in turn and runs {@code fire} (which should not error); ends only when disposed. */
    public Flux<Void> loop(Supplier<Mono<Void>> fire) {
        // Counting from the previous fire time too: a run that ends before its own fire time on the wall clock (the
        // timer and the clock drift apart) must not fire it a second time.
        AtomicReference<Instant> previous = new AtomicReference<>(Instant.EPOCH);
        return Mono.defer(() -> {
            Instant now = clock.instant();
            Instant fireAt = nextFireAfter(now.isAfter(previous.get()) ? now : previous.get());
            previous.set(fireAt);
            return Mono.delay(Duration.between(now, fireAt)).then(Mono.defer(fire));
        }).repeat();
    }

    /** Takes the lease and runs {@code work}; with the lease held elsewhere, says so at INFO and does nothing. */
    public Mono<Void> whenLeased(Supplier<Mono<Void>> work) {
        return Mono.defer(() -> lease.tryAcquire(leaseName, leaseHold))
                .flatMap(acquired -> acquired ? Mono.defer(work)
                        : Mono.fromRunnable(() -> log.info("{}: this fire time skipped, lease '{}' is held by another"
                                + " instance (or by this one's run less than {} ago)", what, leaseName, leaseHold)));
    }

    /** The next fire time strictly after {@code after}. */
    public Instant nextFireAfter(Instant after) {
        ZonedDateTime next = cron.next(ZonedDateTime.ofInstant(after, ZoneOffset.UTC));
        if (next == null) {
            throw new IllegalStateException(settings + ".cron '" + cronText + "' has no fire time after " + after);
        }
        return next.toInstant();
    }

    private static CronExpression parse(String property, String text) {
        try {
            return CronExpression.parse(text);
        }
        catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException(property + " '" + text + "' is not a valid cron expression (six fields,"
                    + " seconds first, in UTC, e.g. '0 30 1 * * *'): " + invalid.getMessage(), invalid);
        }
    }
}
