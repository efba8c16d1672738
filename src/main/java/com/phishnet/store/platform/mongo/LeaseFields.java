package com.phishnet.store.platform.mongo;

/** Stored names of the {@code leases} collection. */
public final class LeaseFields {

    public static final String COLLECTION = "leases";
    public static final String ID = "_id";
    public static final String HOLDER = "holder";
    public static final String LOCKED_AT = "lockedAt";
    public static final String LOCKED_UNTIL = "lockedUntil";

    private LeaseFields() {
    }
}
