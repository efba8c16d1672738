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
    /** Optional analyst rating of the scan, a whole number from {@link #RATING_MIN} to {@link #RATING_MAX} (V017). */
    public static final String RATING = "rating";
    /** Optional flag, one of {@link #FLAGS} (V017). */
    public static final String FLAG = "flag";
    /** The scan's model version, copied when the feedback is written (V017; backfilled for older feedback). */
    public static final String MODEL_VERSION = "modelVersion";
    /** The scan's original (detected) verdict, copied when the feedback is written (V017; backfilled). */
    public static final String SCAN_VERDICT = "scanVerdict";

    public static final int RATING_MIN = 1;
    public static final int RATING_MAX = 5;

    /** The stored values of {@link FeedbackFlag}, exactly as V017's validator lists them. */
    public static final String[] FLAGS = {"false_positive", "false_negative", "needs_review"};

    /** (tenantId, createdAt desc, _id desc): the tenant's feedback by time (V002). */
    public static final String BY_TIME_INDEX = "feedback_tenant_created";
    /** (tenantId, scanId, createdAt desc, _id desc): one scan's feedback by time (V017). */
    public static final String BY_SCAN_INDEX = "feedback_tenant_scan_created";
    /** (tenantId, analystId, createdAt desc, _id desc): one analyst's feedback by time, keyset-ready (V017). */
    public static final String BY_ANALYST_INDEX = "feedback_tenant_analyst_created_id";

    /** What the agreement statistics show for feedback whose scan's model version or verdict is unknown. */
    public static final String UNKNOWN = "unknown";

    private FeedbackFields() {
    }
}
