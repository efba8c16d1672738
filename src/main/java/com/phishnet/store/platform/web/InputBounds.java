package com.phishnet.store.platform.web;

/**
 * Lengths of the identifiers the service accepts, declared once: the JWT validator, the request annotations
 * and the {@code $jsonSchema} validators of the fields that store them all use these constants, so an input
 * the API accepts can never fail document validation (error 121) when it is written.
 */
public final class InputBounds {

    /** A tenant id: the {@code tenant} claim of a token and every stored {@code tenantId}. */
    public static final int TENANT_ID_MAX = 64;
    public static final String TENANT_ID_PATTERN = "[A-Za-z0-9_-]{1," + TENANT_ID_MAX + "}";

    /**
     * A token's {@code sub}: who acted. Stored wherever the caller is recorded (audit actorId, feedback
     * analystId, jobs and backups requestedBy).
     */
    public static final int SUBJECT_MAX = 128;

    /** Ids the service generates (UUIDs) and ids of records a request names (userId, scanId, ...). */
    public static final int ID_MAX = 64;

    private InputBounds() {
    }
}
