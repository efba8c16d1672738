package com.phishnet.store.reputation;

/**
 * Stored names of the {@code reputation_cache} collection: global threat-feed verdicts and per-tenant overrides.
 */
public final class ReputationFields {

    public static final String COLLECTION = "reputation_cache";

    /** SHA-256 hex of owner, type and subject (see {@link ReputationOwner#documentId}). */
    public static final String ID = "_id";
    public static final int ID_LENGTH = 64;
    /** GLOBAL or TENANT. */
    public static final String SCOPE = "scope";
    /** Present on tenant overrides only. */
    public static final String TENANT_ID = "tenantId";
    public static final String SUBJECT_TYPE = "subjectType";
    /** Normalised subject: lower-cased address, domain or IP, canonical URL. */
    public static final String SUBJECT = "subject";
    public static final int SUBJECT_MAX = 2048;
    public static final String VERDICT = "verdict";
    public static final String SCORE = "score";
    public static final String SOURCE = "source";
    public static final int SOURCE_MAX = 100;
    public static final String FETCHED_AT = "fetchedAt";
    /** The TTL index removes an entry once this instant has passed. */
    public static final String EXPIRES_AT = "expiresAt";

    public static final String[] SCOPES = {"GLOBAL", "TENANT"};
    public static final String[] SUBJECT_TYPES = {"SENDER", "DOMAIN", "URL", "IP"};
    public static final String[] VERDICTS = {"CLEAN", "SUSPICIOUS", "MALICIOUS", "UNKNOWN"};

    private ReputationFields() {
    }
}
