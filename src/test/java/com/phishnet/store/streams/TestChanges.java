package com.phishnet.store.streams;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.phishnet.store.platform.mongo.ChangePosition;
import com.phishnet.store.platform.mongo.ResumeToken;
import org.bson.BsonTimestamp;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A change source for the fan-out logic's unit tests, with the two properties of a change stream that logic relies
 * on: changes come in token order, and a cursor opened after a token starts with the first change after it. It is
 * no stand-in for MongoDB (the integration tier proves those properties on a real replica set).
 */
final class TestChanges implements ChangeSource<TestChanges.Change> {

    record Change(String tenantId, String text) {
    }

    static final long CLUSTER_SECONDS = 1_790_000_000L;

    private final List<Signal.Event<Change>> history = new ArrayList<>();
    private final List<Sinks.Many<Signal.Event<Change>>> cursors = new CopyOnWriteArrayList<>();
    private final List<ResumeToken> openedAfter = new ArrayList<>();
    private final List<BsonTimestamp> openedAt = new ArrayList<>();
    private final AtomicInteger opened = new AtomicInteger();
    private RuntimeException failNextOpen;

    /** A token of the n-th change, as a server writes one: type byte 130, then the cluster time. */
    static ResumeToken token(int n) {
        return ResumeToken.parse(String.format("82%08X%08X2B0229296E04", CLUSTER_SECONDS + n, n));
    }

    /** Commits a change: it is in the history and goes to every open cursor. */
    Signal.Event<Change> commit(String tenantId, String text) {
        Signal.Event<Change> event = new Signal.Event<>(token(history.size() + 1),
                Instant.ofEpochSecond(CLUSTER_SECONDS + history.size() + 1), new Change(tenantId, text),
                "{\"text\":\"" + text + "\"}");
        history.add(event);
        cursors.forEach(cursor -> cursor.tryEmitNext(event));
        return event;
    }

    /** Every open cursor fails with this. */
    void fail(RuntimeException failure) {
        List<Sinks.Many<Signal.Event<Change>>> open = new ArrayList<>(cursors);
        cursors.clear();
        open.forEach(cursor -> cursor.tryEmitError(failure));
    }

    /** Every open cursor ends, as an invalidate (a dropped collection) ends one. */
    void end() {
        List<Sinks.Many<Signal.Event<Change>>> open = new ArrayList<>(cursors);
        cursors.clear();
        open.forEach(Sinks.Many::tryEmitComplete);
    }

    void failNextOpen(RuntimeException failure) {
        this.failNextOpen = failure;
    }

    int opened() {
        return opened.get();
    }

    List<ResumeToken> openedAfter() {
        return openedAfter;
    }

    List<BsonTimestamp> openedAt() {
        return openedAt;
    }

    /** Like the server's: the cluster time right after the last committed change. */
    Mono<BsonTimestamp> afterLastCommit() {
        return Mono.fromSupplier(() -> new BsonTimestamp((int) (CLUSTER_SECONDS + history.size()), history.size() + 1));
    }

    /** The n-th change's cluster time, as its token encodes it. */
    private static BsonTimestamp timeOf(Signal.Event<Change> event) {
        return new BsonTimestamp((int) event.token().clusterTime().getEpochSecond(),
                (int) (event.token().clusterTime().getEpochSecond() - CLUSTER_SECONDS));
    }

    @Override
    public Flux<Signal.Event<Change>> open(ChangePosition from) {
        return Flux.defer(() -> {
            opened.incrementAndGet();
            openedAfter.add(from == null ? null : from.after());
            openedAt.add(from == null ? null : from.at());
            if (failNextOpen != null) {
                RuntimeException failure = failNextOpen;
                failNextOpen = null;
                return Flux.error(failure);
            }
            List<Signal.Event<Change>> missed = from == null ? List.of() : history.stream()
                    .filter(event -> from.after() != null ? event.token().isAfter(from.after())
                            : timeOf(event).compareTo(from.at()) >= 0)
                    .toList();
            Sinks.Many<Signal.Event<Change>> cursor = Sinks.many().unicast().onBackpressureBuffer();
            cursors.add(cursor);
            return Flux.fromIterable(missed).concatWith(cursor.asFlux().doOnCancel(() -> cursors.remove(cursor)));
        });
    }
}
