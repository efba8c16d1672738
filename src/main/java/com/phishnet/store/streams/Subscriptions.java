package com.phishnet.store.streams;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import com.phishnet.store.platform.mongo.ChangePosition;
import com.phishnet.store.platform.mongo.ChangeStreamErrors;
import com.phishnet.store.platform.mongo.ResumeToken;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.web.ApiException;
import tools.jackson.databind.json.JsonMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * Turns a shared stream into one client's event stream: limits, the catch-up of a resuming client and its hand-over
 * to the live changes without a duplicate or a gap, SSE framing, keep-alive comments on idle streams, the end of
 * the token's lifetime, overflow, and metrics. Nothing is written to the client before the limits and the request
 * have been checked, so a refusal is still a problem response.
 */
final class Subscriptions {

    static final String KEEP_ALIVE = "keep-alive";

    /** A catch-up cursor that reads nothing for this long has caught up with the present. */
    static final Duration CATCH_UP_IDLE = Duration.ofSeconds(30);

    /**
     * How long a catch-up that knows the change it must reach may read nothing before it is reopened. Longer than
     * the driver's socket timeout (60 s), which already fails a hung read: a server scanning a long oplog answers
     * with empty batches, which the driver does not pass on, so silence alone proves nothing.
     */
    static final Duration CATCH_UP_STUCK = Duration.ofMinutes(2);

    /** Transient failures in a row a catch-up survives. */
    static final int CATCH_UP_RETRIES = 5;

    /** How long a stream waits for its shared cursor's start before it is refused with a 503. */
    static final Duration START_WAIT = Duration.ofSeconds(10);

    /** A catch-up that reads nothing although it has not reached the change it must reach. */
    static final class CatchUpStalled extends RuntimeException {
        CatchUpStalled(ResumeToken target) {
            super("the catch-up read nothing for a while before reaching "
                    + (target == null ? "the present" : target.data()), null, false, false);
        }
    }

    /** A catch-up cursor that ended (invalidated) before it caught up: like an unknown position, a reset. */
    static final class CatchUpEnded extends RuntimeException {
        CatchUpEnded() {
            super("the catch-up's change stream ended before it caught up", null, false, false);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(Subscriptions.class);

    private final StreamProperties properties;
    private final StreamLimits limits;
    private final StreamMetrics metrics;
    private final JsonMapper json;
    private final Clock clock;
    private final Scheduler timer;

    Subscriptions(StreamProperties properties, StreamLimits limits, StreamMetrics metrics, JsonMapper json, Clock clock,
            Scheduler timer) {
        this.properties = properties;
        this.limits = limits;
        this.metrics = metrics;
        this.json = json;
        this.clock = clock;
        this.timer = timer;
    }

    /**
     * Every change of {@code shared} the filter lets through, from now, or after {@code after} when the client
     * resumes: a catch-up cursor reads what it missed until it reaches the shared cursor's changes.
     *
     * @param reread where a client that gets a {@code reset} re-reads from the reset's time (a REST path taking
     *               {@code from})
     */
    <T> Flux<ServerSentEvent<String>> follow(StreamKind kind, SharedStream<T> shared, ChangeSource<T> source,
            Caller caller, Predicate<T> filter, ResumeToken after, Instant expiresAt, String reread) {
        return Flux.defer(() -> {
            StreamLimits.Permit permit = limits.open(caller);
            SharedStream.Registration<T> live;
            try {
                if (after != null) {
                    permit.startCatchUp();
                }
                live = shared.register(filter);
            }
            catch (RuntimeException refused) {
                permit.close();
                throw refused;
            }
            // How far the catch-up has read, whatever it let through: the live changes up to here are duplicates.
            AtomicReference<ResumeToken> position = new AtomicReference<>(after);
            Flux<Signal<T>> missed = after == null ? Flux.empty()
                    : catchUp(kind, source, filter, after, live, position).doFinally(ignored -> permit.catchUpDone());
            // A stop ends the whole stream, never just the catch-up: handing over early would skip the rest of it.
            Flux<Signal<T>> signals = missed.concatWith(live.signals().filter(signal -> !(signal instanceof Signal.Event<T> event)
                    || position.get() == null || event.token().isAfter(position.get())))
                    .takeUntilOther(live.stopped());
            // Opened once the shared cursor's start is fixed: a change the client causes after ":connected" is never
            // older than the cursor's start.
            return started(kind, shared).thenMany(Flux.defer(() -> frame(kind, signals, expiresAt, reread))).doFinally(ignored -> {
                live.cancel();
                permit.close();
            });
        });
    }

    /**
     * One record's changes: its current state first, then its changes until {@code isLast} holds for one, which
     * ends the stream. {@code current} fails (a 404) when the record does not exist for this caller: nothing has
     * been written then.
     */
    <T> Flux<ServerSentEvent<String>> followOne(StreamKind kind, SharedStream<T> shared, Caller caller,
            Predicate<T> filter, Mono<Signal.Event<T>> current, Predicate<T> isLast, Instant expiresAt) {
        return Flux.defer(() -> {
            StreamLimits.Permit permit = limits.open(caller);
            // Registered before the read, so a change between the two is not lost (it may repeat the state read).
            SharedStream.Registration<T> live;
            try {
                live = shared.register(filter);
            }
            catch (RuntimeException refused) {
                permit.close();
                throw refused;
            }
            // Read once the shared cursor's start is fixed: every change after the read then reaches the registration.
            // A reset means changes may have been missed: the record's state is read again, after the new start.
            Mono<Signal.Event<T>> read = started(kind, shared).then(current);
            return read.flatMapMany(state -> frame(kind, isLast.test(state.change()) ? Flux.just(state)
                            : Flux.<Signal<T>>just(state).concatWith(live.signals()
                                    .concatMapDelayError(signal -> signal instanceof Signal.Event<T> ? Mono.just(signal)
                                            : read.<Signal<T>>map(reread -> reread), true, 1)
                                    .takeUntil(signal -> signal instanceof Signal.Event<T> event && isLast.test(event.change()))
                                    .takeUntilOther(live.stopped())),
                            expiresAt, null))
                    .doFinally(ignored -> {
                        live.cancel();
                        permit.close();
                    });
        });
    }

    /**
     * Completes once the shared cursor's start is fixed; a 503 (nothing written yet) when the server does not give
     * one in time.
     */
    private Mono<Void> started(StreamKind kind, SharedStream<?> shared) {
        return shared.started().timeout(START_WAIT, Mono.<Void>error(() -> new ApiException.Unavailable("The "
                + kind.tag() + " stream cannot start: MongoDB did not answer in time. Retry later.",
                Math.max(1, properties.retryAfter().toSeconds()))), timer);
    }

    private <T> Flux<Signal<T>> catchUp(StreamKind kind, ChangeSource<T> source, Predicate<T> filter, ResumeToken after,
            SharedStream.Registration<T> live, AtomicReference<ResumeToken> position) {
        // The catch-up reads what the shared cursor reads (every tenant's changes of this kind), so it knows when it
        // has reached the change from which the subscriber's queue holds everything (Registration.reachBy); only
        // then does it stop. A transient failure (an election, the network) reopens the catch-up where it had got
        // to; after a few in a row the stream ends cleanly and the client resumes later with its last id.
        AtomicBoolean caughtUp = new AtomicBoolean();
        AtomicBoolean reopenedBlind = new AtomicBoolean();
        // Nothing read for a while. Caught up if it has reached that change. If that change is not known yet
        // (the shared cursor has read nothing since it started), a second silent cursor in a row counts as having
        // read the history up to the present: on a quiet stream nothing else would ever end the catch-up. Anything
        // else is a stalled cursor, reopened, never taken as caught up, or the changes in between would be skipped.
        BooleanSupplier reached = () -> {
            ResumeToken target = live.reachBy();
            return target != null && !target.isAfter(position.get());
        };
        Mono<Long> silence = Mono.defer(() -> Mono.delay(live.reachBy() == null ? CATCH_UP_IDLE : CATCH_UP_STUCK, timer));
        Flux<Signal.Event<T>> quiet = Flux.defer(() -> {
            ResumeToken target = live.reachBy();
            if (target == null ? reopenedBlind.getAndSet(true) : reached.getAsBoolean()) {
                caughtUp.set(true);
                return Flux.empty();
            }
            return Flux.error(new CatchUpStalled(target));
        });
        Flux<Signal.Event<T>> reading = Flux.defer(() -> {
            if (reached.getAsBoolean()) {
                // The client's id is not behind the shared cursor: its queue has everything after the id.
                caughtUp.set(true);
                return Flux.empty();
            }
            // A change stream only ends when it is invalidated: from where it was, nothing can be read then.
            // A cursor that reads something was not stuck: the next silent one is the first again.
            return source.open(ChangePosition.after(position.get())).doOnNext(event -> reopenedBlind.set(false))
                    .timeout(silence, event -> silence, quiet)
                    .concatWith(Flux.defer(() -> caughtUp.get() || reached.getAsBoolean() ? Flux.empty()
                            : Flux.error(new CatchUpEnded())));
        });
        return Flux.defer(() -> {
            metrics.clientResumed(kind);
            return reading.retryWhen(Retry.backoff(CATCH_UP_RETRIES, properties.reconnectMin())
                            .maxBackoff(properties.reconnectMax()).transientErrors(true)
                            .filter(failure -> !cannotResume(failure)).scheduler(timer))
                    .takeUntil(event -> {
                        ResumeToken target = live.reachBy();
                        return target != null && !target.isAfter(event.token());
                    })
                    .doOnNext(event -> position.set(event.token()))
                    .filter(event -> filter.test(event.change()))
                    .<Signal<T>>map(event -> event)
                    .onErrorResume(Subscriptions::cannotResume, refused -> {
                        metrics.reset(kind);
                        // Every live change is new to this client from here on.
                        position.set(null);
                        return Mono.just(new Signal.Reset<>(after.clusterTime(), ChangeStreamErrors.historyLost(refused)
                                ? "history-lost" : "position-unknown"));
                    });
        });
    }

    private static boolean cannotResume(Throwable failure) {
        return failure instanceof CatchUpEnded || ChangeStreamErrors.cannotResume(failure);
    }

    private <T> Flux<ServerSentEvent<String>> frame(StreamKind kind, Flux<Signal<T>> signals, Instant expiresAt,
            String reread) {
        AtomicReference<String> lastEventId = new AtomicReference<>();
        Flux<ServerSentEvent<String>> events = signals
                .map(signal -> toEvent(kind, signal, reread, lastEventId))
                .onErrorResume(SharedStream.Overflow.class, overflow -> Mono.just(ServerSentEvent.<String>builder()
                        .event("overflow").data(write(details("reason", "This client fell more than "
                                + properties.bufferSize() + " events behind; reconnect with Last-Event-ID.",
                                "lastEventId", lastEventId.get()))).build()))
                .onErrorResume(failure -> {
                    // The response is under way: end it cleanly (the client resumes from its last id) rather than
                    // cut the connection, which would also log the request's URL, ticket included.
                    log.warn("A {} stream ended on an unexpected failure; its client resumes from its last event",
                            kind.tag(), failure);
                    return Mono.empty();
                });
        AtomicBoolean expired = new AtomicBoolean();
        Duration lifetime = Duration.between(clock.instant(), expiresAt);
        Mono<Long> end = Mono.delay(lifetime.isNegative() ? Duration.ZERO : lifetime, timer)
                .doOnNext(ignored -> expired.set(true));
        ServerSentEvent<String> opening = ServerSentEvent.<String>builder().comment("connected")
                .retry(properties.retry()).build();
        return withKeepAlive(events.takeUntilOther(end)
                .concatWith(Mono.fromSupplier(() -> expired.get() ? expiredEvent(expiresAt) : null)))
                .startWith(opening);
    }

    private <T> ServerSentEvent<String> toEvent(StreamKind kind, Signal<T> signal, String reread,
            AtomicReference<String> lastEventId) {
        if (signal instanceof Signal.Reset<T> reset) {
            return ServerSentEvent.<String>builder().event("reset").data(write(details("reason", reset.reason(),
                    "from", reset.from().toString(), "reread", reread == null ? null : reread + "?from=" + reset.from(),
                    "detail", "Changes after 'from' may be missing from this stream: re-read them, then keep following."))).build();
        }
        Signal.Event<T> event = (Signal.Event<T>) signal;
        metrics.sent(kind, event.committedAt() == null ? Duration.ZERO : Duration.between(event.committedAt(), clock.instant()));
        ServerSentEvent.Builder<String> builder = ServerSentEvent.<String>builder().event(kind.eventName()).data(event.json());
        if (event.token() != null) {
            lastEventId.set(event.token().data());
            builder.id(event.token().data());
        }
        return builder.build();
    }

    private ServerSentEvent<String> expiredEvent(Instant expiresAt) {
        return ServerSentEvent.<String>builder().event("expired").data(write(details("at", expiresAt.toString(),
                "detail", "The token that opened this stream has expired; open it again with a new one."))).build();
    }

    /** A comment after every {@code keepAlive} of silence, until the events end. */
    private Flux<ServerSentEvent<String>> withKeepAlive(Flux<ServerSentEvent<String>> events) {
        Duration every = properties.keepAlive();
        ServerSentEvent<String> comment = ServerSentEvent.<String>builder().comment(KEEP_ALIVE).build();
        // Prefetch 1: the subscriber's own bounded queue is where a slow client's backlog builds up and overflows.
        return events.publish(shared -> Flux.merge(1, shared, shared
                .map(ignored -> Boolean.TRUE).startWith(Boolean.TRUE)
                .switchMap(ignored -> Flux.interval(every, every, timer).onBackpressureDrop().map(tick -> comment))
                .takeUntilOther(shared.then(Mono.just(Boolean.TRUE)))), 1);
    }

    private String write(Map<String, String> details) {
        return json.writeValueAsString(details);
    }

    private static Map<String, String> details(String... pairs) {
        Map<String, String> details = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                details.put(pairs[i], pairs[i + 1]);
            }
        }
        return details;
    }
}
