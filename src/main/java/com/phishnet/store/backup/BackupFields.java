package com.phishnet.store.backup;

/** Stored names of the {@code backups} collection: one record per backup, under its job's id. */
public final class BackupFields {

    public static final String COLLECTION = "backups";

    public static final String ID = "_id";
    public static final String STATE = "state";
    public static final String TRIGGER = "trigger";
    public static final String REQUESTED_BY = "requestedBy";
    public static final String REQUESTED_BY_TENANT = "requestedByTenant";
    public static final String REQUESTED_AT = "requestedAt";
    public static final String COMPLETED_AT = "completedAt";
    public static final String NOTE = "note";
    public static final String TENANT_ID = "tenantId";
    public static final String REQUESTED_COLLECTIONS = "requestedCollections";
    public static final String DATABASE = "database";
    public static final String CLUSTER_TIME = "clusterTime";
    public static final String CONTENTS = "contents";
    public static final String KEY_IDS = "keyIds";
    public static final String DOCUMENTS = "documents";
    public static final String CHECKSUM = "checksum";
    public static final String SIZE_BYTES = "sizeBytes";
    public static final String LOCATION = "location";
    public static final String ENCRYPTION_KEY_ID = "encryptionKeyId";
    public static final String VERIFICATION = "verification";
    public static final String ERROR = "error";

    /** Written before V010 only; kept so old records still pass the validator. */
    public static final String COUNTS = "counts";

    /** {@code contents[]}: one entry per collection. */
    public static final String CONTENT_NAME = "name";
    public static final String CONTENT_DOCUMENTS = "documents";
    public static final String CONTENT_BYTES = "bytes";
    public static final String CONTENT_SHA256 = "sha256";

    /** {@code clusterTime}: the server's timestamp, seconds and increment. */
    public static final String CLUSTER_TIME_SECONDS = "t";
    public static final String CLUSTER_TIME_INCREMENT = "i";

    /** {@code verification}: the last re-read of the stored archive. */
    public static final String VERIFICATION_PASSED = "passed";
    public static final String VERIFICATION_AT = "at";
    public static final String VERIFICATION_DOCUMENTS = "documents";
    public static final String VERIFICATION_PROBLEMS = "problems";

    /** V001 also listed PENDING, which nothing ever wrote (backups did not exist before V010). */
    public static final String[] STATES = {"RUNNING", "COMPLETED", "FAILED"};
    public static final String[] TRIGGERS = {"MANUAL", "SCHEDULED", "RETENTION"};

    /** Bounds shared by the validator and the API that accepts them. */
    public static final int MAX_NOTE = 500;
    public static final int MAX_COLLECTIONS = 100;
    public static final int MAX_PROBLEMS = 20;
    public static final int MAX_PROBLEM_LENGTH = 1000;
    public static final int MAX_KEY_IDS = 100;

    private BackupFields() {
    }
}
