package com.phishnet.store.backup;

/** Stored names of the {@code backups} collection: one record per backup job. */
public final class BackupFields {

    public static final String COLLECTION = "backups";

    public static final String ID = "_id";
    public static final String STATE = "state";
    public static final String REQUESTED_BY = "requestedBy";
    public static final String REQUESTED_AT = "requestedAt";
    public static final String COMPLETED_AT = "completedAt";
    public static final String COUNTS = "counts";
    public static final String CHECKSUM = "checksum";
    public static final String SIZE_BYTES = "sizeBytes";
    public static final String LOCATION = "location";
    public static final String ERROR = "error";

    public static final String[] STATES = {"PENDING", "RUNNING", "COMPLETED", "FAILED"};

    private BackupFields() {
    }
}
