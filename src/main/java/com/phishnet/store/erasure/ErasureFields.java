package com.phishnet.store.erasure;

/**
 * Stored names of the {@code erasures} register (V013): one entry per erased user, with no personal data, so the
 * erasures can be applied again to a database restored from a backup taken before them.
 */
public final class ErasureFields {

    public static final String COLLECTION = "erasures";

    public static final String ID = "_id";
    public static final String TENANT_ID = "tenantId";
    public static final String USER_ID = "userId";
    /** When the user's account was erased (the transaction's time). */
    public static final String AT = "at";
    /** The token subject that asked for it. */
    public static final String ACTOR = "actor";
    /** The actor's own tenant, when an operator erased in another tenant. */
    public static final String ACTOR_TENANT = "actorTenant";
    /** When the pass over emails, scans and feedback last completed; absent while it is pending. */
    public static final String COMPLETED_AT = "completedAt";
    /**
     * The erased address, sealed (FieldCipher, bound to this entry), kept only while the pass over emails and scans
     * is pending: a re-run after a crash needs it to find the address there, and the user no longer holds it.
     * Removed when the pass completes.
     */
    public static final String PENDING_ADDRESS = "pendingAddress";

    public static final String BY_USER_INDEX = "erasures_tenant_user_unique";

    public static final int MAX_REASON = 500;

    private ErasureFields() {
    }
}
