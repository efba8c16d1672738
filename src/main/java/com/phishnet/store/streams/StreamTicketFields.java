package com.phishnet.store.streams;

import com.phishnet.store.platform.web.InputBounds;

/** Stored names of the {@code stream_tickets} collection. */
public final class StreamTicketFields {

    public static final String COLLECTION = "stream_tickets";

    /** SHA-256 (hex) of the ticket: the ticket itself is never stored. */
    public static final String ID = "_id";
    public static final String SUBJECT = "subject";
    public static final String TENANT_ID = "tenantId";
    public static final String ROLES = "roles";
    public static final String SCOPES = "scopes";
    /** The request path the ticket opens, such as {@code /api/v1/streams/scans}. */
    public static final String STREAM = "stream";
    public static final String CREATED_AT = "createdAt";
    /** The TTL index removes a ticket once this instant has passed; redeeming also requires it in the future. */
    public static final String EXPIRES_AT = "expiresAt";
    /** The {@code exp} of the bearer token that created the ticket: the stream it opens ends then. */
    public static final String TOKEN_EXPIRES_AT = "tokenExpiresAt";

    /** Names of {@code Access.Role}. */
    public static final String[] ROLE_NAMES = {"USER", "ANALYST", "ADMIN"};
    /** Values of {@code Access.Scope}, as tokens write them. */
    public static final String[] SCOPE_VALUES = {"scans:write", "reputation:write", "credentials:read-secret",
            "service:operator"};

    public static final int HASH_LENGTH = 64;
    public static final String STREAM_PREFIX = "/api/v1/streams/";
    /** The longest stream path: a job's, whose id is bounded like every id. */
    public static final int STREAM_MAX = STREAM_PREFIX.length() + "jobs/".length() + InputBounds.ID_MAX;

    private StreamTicketFields() {
    }
}
