package com.phishnet.store.platform.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.springframework.scheduling.support.CronExpression;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A cron expression read in UTC, and the loop that waits for each of its fire times with {@code Mono.delay}: no
 * thread sleeps until then. Checked when made: a bad expression, or one that never fires (30 February), fails at
 * startup with the name of the setting it came from.
 */
public final class CronSchedule {

    private final String property;
    private final String text;
    private final CronExpression cron;

    private CronSchedule(String property, String text, CronExpression cron) {
        this.property = property;
        this.text = text;
        this.cron = cron;
    }

    /** @param property the setting the expression came from, named in every error */
    public static CronSchedule parse(String property, String text, Instant now) {
        CronExpression cron;
        try {
            cron = CronExpression.parse(text);
        }
        catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException(property + " '" + text + "' is not a valid cron expression (six fields,"
                    + " seconds first, in UTC, e.g. '0 30 1 * * *'): " + invalid.getMessage(), invalid);
        }
        CronSchedule schedule = new CronSchedule(property, text, cron);
        schedule.nextFireAfter(now);
        return schedule;
    }

    public String text() {
        return text;
    }

    /** The next fire time strictly after {@code after}. */
    public Instant nextFireAfter(Instant after) {
        ZonedDateTime next = cron.next(ZonedDateTime.ofInstant(after, ZoneOffset.UTC));
        if (next == null) {
            throw new IllegalStateException(property + " '" + text + "' has no fire time after " + after);
        }
        return next.toInstant();
    }

    /** Waits for each fire time in turn and runs {@code fire} (which should not error); ends only when disposed. */
    public Flux<Void> loop(Clock clock, Supplier<Mono<Void>> fire) {
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
}
