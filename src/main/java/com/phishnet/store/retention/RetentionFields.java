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

    public static final String[] HOLD_STATES = {"ACTIVE", "LIFTED"};

    public static final int MAX_REASON = 1000;
    public static final int MAX_LIFT_REASON = 500;

    public static final String HOLDS_BY_TENANT_INDEX = "legal_holds_tenant_state_placed";

    private RetentionFields() {
    }
}
