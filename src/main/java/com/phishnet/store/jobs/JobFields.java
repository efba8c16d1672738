package com.phishnet.store.jobs;

/** Stored names of the {@code jobs} collection: long-running admin work and its progress. */
public final class JobFields {

    public static final String COLLECTION = "jobs";

    public static final String ID = "_id";
    public static final String TYPE = "type";
    public static final String SCOPE = "scope";
    public static final String STATE = "state";
    public static final String REQUESTED_BY = "requestedBy";
    public static final String REQUESTED_BY_TENANT = "requestedByTenant";
    public static final String TENANT_ID = "tenantId";
    public static final String STARTED_AT = "startedAt";
    public static final String UPDATED_AT = "updatedAt";
    public static final String COMPLETED_AT = "completedAt";
    public static final String PROCESSED = "processed";
    public static final String CHANGED = "changed";
    public static final String CURSOR = "cursor";
    public static final String ERROR = "error";

    public static final String[] TYPES = {"KEY_ROTATION", "BACKUP", "RESTORE", "RETENTION"};
    public static final String[] SCOPES = {"SERVICE", "TENANT"};
    public static final String[] STATES = {"RUNNING", "COMPLETED", "FAILED"};

    /** Unique over RUNNING service jobs of one type: at most one key rotation at a time, across instances. */
    public static final String ONE_RUNNING_SERVICE_JOB_INDEX = "jobs_one_running_service_job_per_type";

    private JobFields() {
    }
}
