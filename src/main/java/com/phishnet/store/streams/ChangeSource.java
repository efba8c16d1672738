package com.phishnet.store.streams;

import com.phishnet.store.platform.mongo.ChangePosition;

import reactor.core.publisher.Flux;

/** A feature's change stream as the streams read it. */
@FunctionalInterface
interface ChangeSource<T> {

    /**
     * Every tenant's changes from {@code from}: the shared cursor and the catch-up cursors read the same changes,
     * so a catch-up can tell when it has reached the shared cursor.
     */
    Flux<Signal.Event<T>> open(ChangePosition from);
}
