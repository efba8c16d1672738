package com.phishnet.store.scans;

/** Stored names of the {@code feedback} collection: an analyst's correction of a scan verdict. */
public final class FeedbackFields {

    public static final String COLLECTION = "feedback";

    public static final String ID = "_id";
    public static final String TENANT_ID = "tenantId";
    public static final String SCAN_ID = "scanId";
    public static final String ANALYST_ID = "analystId";
    public static final String CORRECTED_VERDICT = "correctedVerdict";
    public static final String COMMENT = "comment";
    public static final String CREATED_AT = "createdAt";
    public static final String UPDATED_AT = "updatedAt";
    public static final String LEGAL_HOLD = "legalHold";

    private FeedbackFields() {
    }
}
