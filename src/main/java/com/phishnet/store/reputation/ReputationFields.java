package com.phishnet.store.reputation;

/** Stored names of the {@code reputation_cache} collection: threat-feed verdicts shared by all tenants. */
public final class ReputationFields {

    public static final String COLLECTION = "reputation_cache";

    public static final String ID = "_id";
    public static final String SUBJECT_TYPE = "subjectType";
    /** Normalised subject: lower-cased address, domain or IP, canonical URL. */
    public static final String SUBJECT = "subject";
    public static final String VERDICT = "verdict";
    public static final String SCORE = "score";
    public static final String SOURCE = "source";
    public static final String FETCHED_AT = "fetchedAt";
    /** The TTL index removes an entry once this instant has passed. */
    public static final String EXPIRES_AT = "expiresAt";

    public static final String[] SUBJECT_TYPES = {"SENDER", "DOMAIN", "URL", "IP"};
    public static final String[] VERDICTS = {"CLEAN", "SUSPICIOUS", "MALICIOUS", "UNKNOWN"};

    private ReputationFields() {
    }
}
