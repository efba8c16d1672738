package com.phishnet.store.streams;

import java.time.Instant;

import com.phishnet.store.platform.mongo.ResumeToken;

/** What a stream carries to a subscriber: a change, or the news that changes were lost and must be re-read. */
sealed interface Signal<T> {

    /**
     * One change, rendered to JSON once for every subscriber.
     *
     * @param change the typed change, for the subscribers' filters
     */
    record Event<T>(ResumeToken token, Instant committedAt, T change, String json) implements Signal<T> {
    }

    /** Changes after {@code from} may have been missed; the client re-reads them through the REST API. */
    record Reset<T>(Instant from, String reason) implements Signal<T> {
    }
}
