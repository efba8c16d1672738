package com.phishnet.store.platform.web;

import java.net.URI;

import org.springframework.http.ResponseEntity;

/**
 * The {@code Idempotency-Key} request header shared by every create-like endpoint: a client that lost a
 * response sends the same request with the same key and gets the committed result instead of a second effect.
 */
public final class Idempotency {

    public static final String HEADER = "Idempotency-Key";
    /** Set on an answer that replays an earlier committed result rather than doing the work again. */
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    public static final int MAX_KEY_LENGTH = 200;
    /** Printable token characters only, so a key can be stored, indexed and logged as is. */
    public static final String KEY_PATTERN = "[A-Za-z0-9._:-]+";
    /** What the 200 of a create-like endpoint is, for the API document ({@link SuccessStatus#alsoOk()}). */
    public static final String REPLAY = "A replay: the result an earlier request with the same Idempotency-Key"
            + " committed, marked " + REPLAYED_HEADER + ": true.";

    private Idempotency() {
    }

    /** 201 with the new record's location, or, for a replay, 200 marked {@link #REPLAYED_HEADER}. */
    public static <T> ResponseEntity<T> created(T body, boolean replayed, URI location) {
        return replayed ? replayed(body) : ResponseEntity.created(location).body(body);
    }

    /** 200, marked {@link #REPLAYED_HEADER} when it replays an earlier result. */
    public static <T> ResponseEntity<T> ok(T body, boolean replayed) {
        return replayed ? replayed(body) : ResponseEntity.ok(body);
    }

    private static <T> ResponseEntity<T> replayed(T body) {
        return ResponseEntity.ok().header(REPLAYED_HEADER, "true").body(body);
    }
}
