package com.phishnet.store.users;

/** Stored names of the {@code users} collection, declared once for documents, queries, indexes and validators. */
public final class UserFields {

    public static final String COLLECTION = "users";

    public static final String ID = "_id";
    public static final String TENANT_ID = "tenantId";
    public static final String EMAIL = "email";
    /** Lower-cased email: the unique index on it makes email unique per tenant regardless of case. */
    public static final String EMAIL_NORMALIZED = "emailNormalized";
    public static final String DISPLAY_NAME = "displayName";
    public static final String ROLE = "role";
    public static final String STATUS = "status";
    public static final String STATS = "stats";
    public static final String CREATED_AT = "createdAt";
    public static final String UPDATED_AT = "updatedAt";
    public static final String VERSION = "version";
    /** The client's Idempotency-Key of the creating request; unique per tenant where present. */
    public static final String IDEMPOTENCY_KEY = "idempotencyKey";
    /** Keyed fingerprint (blind index, 43 characters) of the creating request: same key, other payload is a 409. */
    public static final String REQUEST_HASH = "requestHash";
    /** When the user's personal data was erased (V013); present exactly when the status is ERASED. */
    public static final String ERASED_AT = "erasedAt";

    public static final String[] ROLES = {"USER", "ANALYST", "ADMIN"};
    public static final String[] STATUSES = {"ACTIVE", "SUSPENDED", "DEACTIVATED", "ERASED"};

    private UserFields() {
    }
}
