package com.phishnet.store.platform.mongo;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Runs reactive units of work one after another per key, without blocking a thread: each unit subscribes
 * when the previous unit of the same key has finished (successfully, with an error, or cancelled). Units of
 * different keys run concurrently.
 */
public final class KeyedSequencer {

    private final ConcurrentHashMap<String, Mono<Void>> tails = new ConcurrentHashMap<>();

    public <T> Mono<T> run(String key, Supplier<Mono<T>> work) {
        return Mono.defer(() -> {
            Sinks.Empty<Void> finished = Sinks.empty();
            Mono<Void> mine = finished.asMono();
            Mono<Void> previous = tails.put(key, mine);
            Mono<Void> turn = previous == null ? Mono.empty() : previous;
            Runnable release = () -> {
                tails.remove(key, mine);
                finished.tryEmitEmpty();
            };
            // Released before the result travels on, so whatever reacts to it may use the key at once.
            return turn.then(Mono.defer(work)).doOnTerminate(release).doOnCancel(release);
        });
    }

    /** Keys with a unit running or waiting; for tests. */
    int activeKeys() {
        return tails.size();
    }
}
