package com.phishnet.store.streams;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import com.phishnet.store.platform.mongo.ChangePosition;
import com.phishnet.store.platform.mongo.ChangeStreamErrors;
import com.phishnet.store.platform.mongo.ResumeToken;
import com.phishnet.store.platform.web.ApiException;
import org.bson.BsonTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * The one change-stream cursor of a stream kind on this instance, fanned out to every subscriber. Each subscriber
 * has its own bounded queue: a slow one overflows and is closed, and never slows the cursor or the others. The
 * cursor opens with the first subscriber and stays open. When it fails it resumes from its last token after a
 * pause that doubles up to a bound; when the server no longer holds that token, every subscriber gets a reset.
 */
final class SharedStream<T> {

    /** Where the cursor is, for health. */
    enum State {
        /** No subscriber has asked yet. */
        IDLE,
        UP,
        /** Failed, and resuming after a pause. */
        RECONNECTING
    }

    /** Why the queue of a subscriber ended early. */
    static final class Overflow extends RuntimeException {
        Overflow() {
            super("subscriber fell behind", null, false, false);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(SharedStream.class);

    private final StreamKind kind;
    private final ChangeSource<T> source;
    private final Mono<BsonTimestamp> startTimeSource;
    /** Fixed once per start from the server's time: at the first subscriber, and again after each reset. */
    private final AtomicReference<Sinks.One<BsonTimestamp>> startedAt = new AtomicReference<>(Sinks.one());
    private final StreamProperties properties;
    private final StreamMetrics metrics;
    private final Clock clock;
    private final Scheduler timer;
    private final Scheduler delivery;
    private final Set<Registration<T>> registrations = ConcurrentHashMap.newKeySet();
    private final AtomicReference<State> state = new AtomicReference<>(State.IDLE);

    private volatile ResumeToken lastToken;
    private volatile BsonTimestamp startTime;
    private volatile Instant lastFailureAt;
    private volatile String lastFailure;
    private volatile Disposable cursor;
    private volatile Disposable healthy;
    private volatile boolean stopped;
    private final AtomicInteger failuresInARow = new AtomicInteger();
    private final AtomicInteger resetsInARow = new AtomicInteger();

    /**
     * @param startTimeSource the cluster time after the server's last majority commit, where the cursor starts: so nothing
     *                              committed after the first subscriber registered is missed while the cursor opens,
     *                              or while it is down before it has read an event
     * @param delivery        where each subscriber's events are written: the cursor's thread only queues them, so
     *                        10,000 subscribers cost it 10,000 queue offers per change, not 10,000 writes
     */
    SharedStream(StreamKind kind, ChangeSource<T> source, Mono<BsonTimestamp> startTimeSource,
            StreamProperties properties, StreamMetrics metrics, Clock clock, Scheduler timer, Scheduler delivery) {
        this.kind = kind;
        this.source = source;
        this.startTimeSource = startTimeSource;
        this.properties = properties;
        this.metrics = metrics;
        this.clock = clock;
        this.timer = timer;
        this.delivery = delivery;
    }

    /**
     * A new subscriber: from now on every matching change is queued for it (up to the buffer size) until it
     * cancels, overflows or the stream stops. Register before reading anything that must join the live changes.
     */
    Registration<T> register(Predicate<T> filter) {
        Registration<T> registration = new Registration<>(this, filter, properties.bufferSize());
        registrations.add(registration);
        // Read after joining, while the fan-out writes the token before it walks the registrations: every change
        // after this token reaches the registration.
        registration.seenAtRegistration = lastToken;
        metrics.subscribed(kind, 1);
        if (stopped) {
            // Checked after joining, so a stop in between is seen here or stops the registration itself.
            registration.cancel();
            throw new ApiException.Unavailable("This instance is shutting down; reconnect.", 1);
        }
        if (state.compareAndSet(State.IDLE, State.UP)) {
            connect();
        }
        return registration;
    }

    State state() {
        return state.get();
    }

    int subscribers() {
        return registrations.size();
    }

    String lastFailure() {
        return lastFailure;
    }

    Instant lastFailureAt() {
        return lastFailureAt;
    }

    void stop() {
        stopped = true;
        Disposable open = cursor;
        if (open != null) {
            open.dispose();
        }
        // A stream still waiting for its start is refused rather than left waiting for a cursor that never opens.
        startedAt.get().tryEmitError(new ApiException.Unavailable("This instance is shutting down; reconnect.", 1));
        registrations.forEach(Registration::stop);
    }

    private void connect() {
        if (stopped) {
            return;
        }
        ResumeToken last = lastToken;
        BsonTimestamp start = startTime;
        Mono<ChangePosition> from = last != null ? Mono.just(ChangePosition.after(last))
                : start != null ? Mono.just(ChangePosition.at(start))
                : startTimeSource.doOnNext(time -> {
                    startTime = time;
                    startedAt.get().tryEmitValue(time);
                }).map(ChangePosition::at);
        cursor = from.flatMapMany(source::open).subscribe(this::fanOut, this::failed, () -> failed(null));
    }

    /**
     * Completes once the cursor's start is fixed; every change committed after that reaches the registrations.
     * After a reset it waits again, for the new start.
     */
    Mono<Void> started() {
        return Mono.defer(() -> startedAt.get().asMono().then());
    }

    private void fanOut(Signal.Event<T> event) {
        lastToken = event.token();
        if (state.get() != State.UP) {
            healthyAgain();
        }
        for (Registration<T> registration : registrations) {
            registration.passed(event.token());
            if (registration.accepts(event)) {
                registration.offer(event);
            }
        }
    }

    private void failed(Throwable failure) {
        if (stopped) {
            return;
        }
        // Read before anything changes: where this cursor would have resumed.
        Instant position = lastToken != null ? lastToken.clusterTime()
                : startTime != null ? Instant.ofEpochSecond(startTime.getTime()) : clock.instant();
        // A cursor only ends by failing (or by an invalidate event when its collection is dropped): reopen it.
        state.set(State.RECONNECTING);
        lastFailureAt = clock.instant();
        lastFailure = failure == null ? "the change stream ended" : failure.getClass().getSimpleName() + ": " + failure.getMessage();
        if (healthy != null) {
            healthy.dispose();
        }
        // An ended cursor was invalidated (its collection dropped or renamed): its last token leads to the same end.
        boolean reset = failure == null || ChangeStreamErrors.cannotResume(failure);
        if (reset) {
            // Nothing can resume from where it was: say so to everyone, then follow from now.
            Instant from = position;
            String reason = failure != null && ChangeStreamErrors.historyLost(failure) ? "history-lost" : "position-unknown";
            log.warn("The {} change stream cannot resume after {} ({}); subscribers are told to re-read", kind.tag(),
                    from, lastFailure);
            boolean startFixed = lastToken != null || startTime != null;
            lastToken = null;
            startTime = null;
            // Before the resets go out: whoever re-reads on a reset waits for the new start, so reads nothing too early.
            // A start never fixed keeps its signal, and whoever waits for it.
            if (startFixed) {
                startedAt.set(Sinks.one());
            }
            metrics.reset(kind);
            registrations.forEach(registration -> registration.offer(new Signal.Reset<>(from, reason)));
        }
        else {
            log.warn("The {} change stream failed; resuming from its last event: {}", kind.tag(), lastFailure);
        }
        // The server answered a reset: it is there, and the new start is fixed as soon as the cursor reopens. Only
        // resets in a row back off.
        int failures = failuresInARow.incrementAndGet();
        Duration pause = pause(reset ? resetsInARow.incrementAndGet() : failures);
        Mono.delay(pause, timer).subscribe(ignored -> {
            metrics.cursorResumed(kind);
            // Armed before the cursor opens, so a cursor that fails at once (even as it opens) disarms it.
            healthy = Mono.delay(properties.healthyAfter(), timer).subscribe(later -> healthyAgain());
            connect();
        });
    }

    private void healthyAgain() {
        failuresInARow.set(0);
        resetsInARow.set(0);
        state.compareAndSet(State.RECONNECTING, State.UP);
    }

    private Duration pause(int failures) {
        Duration pause = properties.reconnectMin().multipliedBy(1L << Math.min(failures - 1, 20));
        return pause.compareTo(properties.reconnectMax()) > 0 ? properties.reconnectMax() : pause;
    }

    private void remove(Registration<T> registration) {
        if (registrations.remove(registration)) {
            metrics.subscribed(kind, -1);
        }
    }

    /** One subscriber's place in the fan-out: its filter and its bounded queue. */
    static final class Registration<T> {

        private final SharedStream<T> stream;
        private final Predicate<T> filter;
        private final Sinks.Many<Signal<T>> queue;
        private final AtomicReference<ResumeToken> handOver = new AtomicReference<>();
        private volatile ResumeToken seenAtRegistration;
        // One subscriber each: a signal shared by every stream would copy its subscriber list on each open and close.
        private final Sinks.Empty<Void> stopping = Sinks.empty();

        Registration(SharedStream<T> stream, Predicate<T> filter, int bufferSize) {
            this.stream = stream;
            this.filter = filter;
            // Linked, not an array: an idle subscriber costs no buffer until events queue up.
            this.queue = Sinks.many().unicast().onBackpressureBuffer(new LinkedBlockingQueue<>(bufferSize));
        }

        /** The queued signals, delivered off the cursor's thread; one subscriber only. Cancelling it leaves the fan-out. */
        Flux<Signal<T>> signals() {
            // Prefetch 1: the backlog stays in the bounded queue, where it overflows.
            return queue.asFlux().publishOn(stream.delivery, 1).doFinally(ignored -> stream.remove(this));
        }

        /**
         * The token a catch-up must reach before this subscriber's queue takes over: the last change the shared
         * cursor had read when the subscriber registered (every later one is queued for it), or if it had read none,
         * the first it read afterwards, whether or not that change was for this subscriber. Null until one is known.
         */
        ResumeToken reachBy() {
            ResumeToken seen = seenAtRegistration;
            return seen != null ? seen : handOver.get();
        }

        private void passed(ResumeToken token) {
            if (handOver.get() == null) {
                handOver.compareAndSet(null, token);
            }
        }

        void cancel() {
            stream.remove(this);
            queue.tryEmitComplete();
        }

        /** Whether the change is for this subscriber; a filter that fails ends this subscriber only, never the cursor. */
        boolean accepts(Signal.Event<T> event) {
            try {
                return filter.test(event.change());
            }
            catch (RuntimeException failure) {
                stream.remove(this);
                queue.tryEmitError(failure);
                return false;
            }
        }

        void offer(Signal<T> signal) {
            Sinks.EmitResult result = queue.tryEmitNext(signal);
            if (result == Sinks.EmitResult.FAIL_OVERFLOW) {
                // What is queued is still delivered, then the overflow; the client resumes from its last event.
                stream.remove(this);
                stream.metrics.overflowed(stream.kind);
                queue.tryEmitError(new Overflow());
            }
            else if (result.isFailure()) {
                stream.remove(this);
            }
        }

        /** Completes when the stream stops: what the subscriber reads besides its queue (a catch-up) ends then too. */
        Mono<Void> stopped() {
            return stopping.asMono();
        }

        private void stop() {
            stream.remove(this);
            // The queue's completion can lose to a change being queued on the cursor's thread; this signal cannot.
            stopping.tryEmitEmpty();
            queue.tryEmitComplete();
        }
    }
}
