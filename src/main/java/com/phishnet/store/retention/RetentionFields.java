package com.phishnet.store.retention;

/** Stored names of {@code retention_policies} (a tenant's overrides) and {@code legal_holds}. */
public final class RetentionFields {

    public static final String POLICIES = "retention_policies";
    public static final String POLICY_TENANT_ID = "_id";
    public static final String POLICY_DAYS = "days";
    public static final String POLICY_UPDATED_AT = "updatedAt";
    public static final String POLICY_UPDATED_BY = "updatedBy";

    public static final String HOLDS = "legal_holds";
    public static final String HOLD_ID = "_id";
    public static final String HOLD_TENANT_ID = "tenantId";
    public static final String HOLD_USER_ID = "userId";
    public static final String HOLD_REASON = "reason";
    public static final String HOLD_STATE = "state";
    public static final String HOLD_PLACED_BY = "placedBy";
    public static final String HOLD_PLACED_AT = "placedAt";
    public static final String HOLD_LIFTED_BY = "liftedBy";
    public static final String HOLD_LIFTED_AT = "liftedAt";
    public static final String HOLD_LIFT_REASON = "liftReason";

    public static final String RUNS = "retention_runs";
    public static final String RUN_ID = "_id";
    public static final String RUN_STATE = "state";
    public static final String RUN_TRIGGER = "trigger";
    public static final String RUN_PHASE = "phase";
    public static final String RUN_REQUESTED_BY = "requestedBy";
    public static final String RUN_REQUESTED_BY_TENANT = "requestedByTenant";
    public static final String RUN_STARTED_AT = "startedAt";
    public static final String RUN_FINISHED_AT = "finishedAt";
    public static final String RUN_ARCHIVE_ID = "archiveId";
    public static final String RUN_TALLIES = "tallies";
    public static final String RUN_ARCHIVED = "archived";
    public static final String RUN_DELETED = "deleted";
    public static final String RUN_RESUMED = "resumed";
    public static final String RUN_ERROR = "error";
    public static final String TALLY_COLLECTION = "collection";
    public static final String TALLY_TENANT_ID = "tenantId";
    public static final String TALLY_BEFORE = "before";
    public static final String TALLY_EXPIRED = "expired";
    public static final String TALLY_SKIPPED = "skipped";
    public static final String TALLY_DELETED = "deleted";
    public static final String RESUMED_RUN_ID = "runId";
    public static final String RESUMED_ARCHIVE_ID = "archiveId";
    public static final String RESUMED_DELETED = "deleted";

    public static final String[] HOLD_STATES = {"ACTIVE", "LIFTED"};
    public static final String[] RUN_STATES = {"RUNNING", "COMPLETED", "FAILED"};
    public static final String[] RUN_TRIGGERS = {"MANUAL", "SCHEDULED"};
    public static final String[] RUN_PHASES = {"PLANNING", "ARCHIVING", "DELETING", "DONE"};

    /** One tally per collection and tenant with something expired or kept: a bound on a run record's size. */
    public static final int MAX_TALLIES = 20_000;
    public static final int MAX_RESUMED = 100;
    public static final String RUNS_BY_START_INDEX = "retention_runs_started";
    public static final String RUNS_BY_ARCHIVE_INDEX = "retention_runs_archive";

    public static final int MAX_REASON = 1000;
    public static final int MAX_LIFT_REASON = 500;

    public static final String HOLDS_BY_TENANT_INDEX = "legal_holds_tenant_state_placed";

    private RetentionFields() {
    }
}
