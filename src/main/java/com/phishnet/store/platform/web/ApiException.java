package com.phishnet.store.platform.web;

import java.net.URI;

import org.springframework.http.HttpStatus;

/**
 * A client-facing failure with a stable problem type. Features throw the subclasses; the problem-details
 * handler turns them into {@code application/problem+json}.
 */
public abstract class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final ProblemType type;

    protected ApiException(HttpStatus status, ProblemType type, String detail) {
        super(detail);
        this.status = status;
        this.type = type;
    }

    public HttpStatus status() {
        return status;
    }

    public ProblemType type() {
        return type;
    }

    /** The record does not exist, or belongs to another tenant: callers cannot tell the two apart. */
    public static final class NotFound extends ApiException {
        public NotFound(String detail) {
            super(HttpStatus.NOT_FOUND, ProblemType.NOT_FOUND, detail);
        }
    }

    /** One field is wrong in a way only the service can tell (a bad cursor, a time in the future). */
    public static final class InvalidField extends ApiException {

        private final String field;

        public InvalidField(String field, String message) {
            super(HttpStatus.BAD_REQUEST, ProblemType.VALIDATION, message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** A refusal the client may try again after {@code retryAfterSeconds} (sent as {@code Retry-After}). */
    public abstract static class RetryLater extends ApiException {

        private final long retryAfterSeconds;

        protected RetryLater(HttpStatus status, ProblemType type, String detail, long retryAfterSeconds) {
            super(status, type, detail);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /** A rate limit was reached. */
    public static final class TooManyRequests extends RetryLater {
        public TooManyRequests(String detail, long retryAfterSeconds) {
            super(HttpStatus.TOO_MANY_REQUESTS, ProblemType.TOO_MANY_REQUESTS, detail, retryAfterSeconds);
        }
    }

    /** The service cannot take the request now (a capacity bound is reached). */
    public static final class Unavailable extends RetryLater {
        public Unavailable(String detail, long retryAfterSeconds) {
            super(HttpStatus.SERVICE_UNAVAILABLE, ProblemType.SERVICE_UNAVAILABLE, detail, retryAfterSeconds);
        }
    }

    /** The request clashes with the current state, such as a unique key that is already taken. */
    public static final class Conflict extends ApiException {

        private final URI location;

        public Conflict(String detail) {
            this(detail, null);
        }

        /** With the resource the request collided with (such as the job already running), sent as Location. */
        public Conflict(String detail, URI location) {
            super(HttpStatus.CONFLICT, ProblemType.CONFLICT, detail);
            this.location = location;
        }

        public URI location() {
            return location;
        }
    }

    /** The request holds more than the endpoint takes (items, not bytes: those are the codec's limit). */
    public static final class TooLarge extends ApiException {
        public TooLarge(String detail) {
            super(HttpStatus.CONTENT_TOO_LARGE, ProblemType.PAYLOAD_TOO_LARGE, detail);
        }
    }

    /** The data the request would delete or change is under a legal hold: nothing was changed. */
    public static final class Held extends ApiException {
        public Held(String detail) {
            super(HttpStatus.CONFLICT, ProblemType.LEGAL_HOLD, detail);
        }
    }

    /** A {@code Range} outside the resource; the client learns its size ({@code Content-Range: bytes *}{@code /size}). */
    public static final class RangeNotSatisfiable extends ApiException {

        private final long size;

        public RangeNotSatisfiable(String detail, long size) {
            super(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, ProblemType.RANGE_NOT_SATISFIABLE, detail);
            this.size = size;
        }

        public long size() {
            return size;
        }
    }
}
