package com.phishnet.store.platform.web;

import java.net.URI;

/** The stable {@code type} URIs of the service's problem details; clients may switch on them. */
public enum ProblemType {

    VALIDATION("validation", "Request validation failed"),
    BAD_REQUEST("bad-request", "Malformed request"),
    UNAUTHORIZED("unauthorized", "Authentication required"),
    FORBIDDEN("forbidden", "Access denied"),
    NOT_FOUND("not-found", "Resource not found"),
    METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed"),
    NOT_ACCEPTABLE("not-acceptable", "Response format not available"),
    CONFLICT("conflict", "Conflict with the current state"),
    LEGAL_HOLD("legal-hold", "Refused while a legal hold applies"),
    INVALID_GRANT("invalid-grant", "Refresh token not accepted"),
    PAYLOAD_TOO_LARGE("payload-too-large", "Request body too large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type"),
    TOO_MANY_REQUESTS("too-many-requests", "Too many requests"),
    RANGE_NOT_SATISFIABLE("range-not-satisfiable", "Requested range not satisfiable"),
    SERVICE_UNAVAILABLE("service-unavailable", "Service temporarily unavailable"),
    INTERNAL("internal", "Internal server error");

    private static final String PREFIX = "urn:phishnet:problem:";

    private final URI uri;
    private final String title;

    ProblemType(String slug, String title) {
        this.uri = URI.create(PREFIX + slug);
        this.title = title;
    }

    public URI uri() {
        return uri;
    }

    public String title() {
        return title;
    }
}
