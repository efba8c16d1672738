package com.phishnet.store.scans;

/** Stored names of the {@code scan_results} collection. */
public final class ScanFields {

    public static final String COLLECTION = "scan_results";

    public static final String ID = "_id";
    public static final String TENANT_ID = "tenantId";
    public static final String USER_ID = "userId";
    public static final String EMAIL_ID = "emailId";
    public static final String VERDICT = "verdict";
    /** The verdict after analyst feedback; equals {@link #VERDICT} until someone corrects it. */
    public static final String EFFECTIVE_VERDICT = "effectiveVerdict";
    /**
     * The effective verdict the latest correction replaced, set with it: a change event carries no previous value,
     * so this is how the update's event tells a raised verdict from a lowered one. Absent until a first correction.
     */
    public static final String CORRECTED_FROM = "correctedFrom";
    /** Copied from the email so scan lists filter by sender through one index. */
    public static final String SENDER = "sender";
    /** SHA-256 of the ingestion request: the same Idempotency-Key with another payload is refused. */
    public static final String REQUEST_HASH = "requestHash";
    public static final String SCORE = "score";
    public static final String INDICATORS = "indicators";
    public static final String MODEL_VERSION = "modelVersion";
    public static final String TIMINGS = "timings";
    /** Client-supplied key that makes a retried ingestion return the first result. */
    public static final String IDEMPOTENCY_KEY = "idempotencyKey";
    public static final String SCANNED_AT = "scannedAt";
    public static final String LEGAL_HOLD = "legalHold";
    public static final String CREATED_AT = "createdAt";

    public static final String[] VERDICTS = {"CLEAN", "SUSPICIOUS", "MALICIOUS"};

    private ScanFields() {
    }
}
