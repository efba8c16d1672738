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
    /** Chain format of the entry: absent for v1 (ip and userAgent hashed in clear), 2 for a salted personal digest. */
    public static final String VERSION = "v";
    /** v2: 32 random bytes, lower-case hex; the HMAC key of the personal digest, removed by erasure. */
    public static final String SALT = "salt";
    /** v2: HMAC-SHA-256(salt, ip and userAgent), lower-case hex; covered by the entry hash instead of the two fields. */
    public static final String PERSONAL_DIGEST = "personalDigest";
    /** v2: when ip, userAgent and salt were erased; the digest stays and keeps the chain verifiable. */
    public static final String ERASED_AT = "erasedAt";

    /** A tenant's checkpoint: the last link retention removed, so verification can start after it. */
    public static final String CHECKPOINTS = "audit_checkpoints";
    /** {@code _id} of a checkpoint: one per tenant. */
    public static final String CHECKPOINT_TENANT_ID = "_id";
    public static final String CHECKPOINT_SEQUENCE = "seq";
    public static final String CHECKPOINT_HASH = "hash";
    public static final String CHECKPOINT_REMOVED_AT = "removedAt";
    public static final String CHECKPOINT_ARCHIVE_ID = "archiveId";

    public static final String[] OUTCOMES = {"SUCCESS", "FAILURE", "DENIED"};

    /** The unique (tenantId, seq) index that keeps a tenant's chain from forking. */
    public static final String SEQUENCE_INDEX = "audit_tenant_seq_unique";

    private AuditFields() {
    }
}
