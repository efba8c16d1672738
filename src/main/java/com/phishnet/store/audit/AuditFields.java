package com.phishnet.store.audit;

/** Stored names of the {@code audit_logs} collection: a hash chain per tenant. */
public final class AuditFields {

    public static final String COLLECTION = "audit_logs";

    public static final String ID = "_id";
    public static final String TENANT_ID = "tenantId";
    /** Position in the tenant's chain; unique per tenant, so two writers cannot fork the chain. */
    public static final String SEQUENCE = "seq";
    public static final String EVENT_TYPE = "eventType";
    public static final String ACTOR_ID = "actorId";
    public static final String TARGET_TYPE = "targetType";
    public static final String TARGET_ID = "targetId";
    public static final String OUTCOME = "outcome";
    public static final String IP = "ip";
    public static final String USER_AGENT = "userAgent";
    public static final String REQUEST_ID = "requestId";
    public static final String DETAILS = "details";
    public static final String AT = "at";
    public static final String PREVIOUS_HASH = "prevHash";
    public static final String HASH = "hash";
    public static final String LEGAL_HOLD = "legalHold";

    public static final String[] OUTCOMES = {"SUCCESS", "FAILURE", "DENIED"};

    /** The unique (tenantId, seq) index that keeps a tenant's chain from forking. */
    public static final String SEQUENCE_INDEX = "audit_tenant_seq_unique";

    private AuditFields() {
    }
}
