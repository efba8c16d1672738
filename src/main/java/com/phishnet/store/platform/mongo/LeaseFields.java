package com.phishnet.store.platform.mongo;

/**
 * Stored names of the {@code leases} collection: one document per lease, {@code _id} the lease's name.
 * <p>
 * {@code V010_Backups} creates the collection with a validator (all fields required): {@code _id} string
 * {@value #NAME_MIN_LENGTH}..{@value #NAME_MAX_LENGTH}, {@code holder} string
 * {@value #HOLDER_MIN_LENGTH}..{@value #HOLDER_MAX_LENGTH}, {@code lockedAt} date, {@code lockedUntil} date.
 * {@link Lease} checks the same bounds before it writes, so a bad name fails in the caller, not in the validator.
 */
public final class LeaseFields {

    public static final String COLLECTION = "leases";

    /** The lease's name, such as {@code backup-schedule}. */
    public static final String ID = "_id";
    /** The instance that holds (or last held) the lease. */
    public static final String HOLDER = "holder";
    public static final String LOCKED_AT = "lockedAt";
    /** Free from this instant on; releasing sets it to the release time. */
    public static final String LOCKED_UNTIL = "lockedUntil";

    public static final int NAME_MIN_LENGTH = 1;
    public static final int NAME_MAX_LENGTH = 64;
    public static final int HOLDER_MIN_LENGTH = 1;
    public static final int HOLDER_MAX_LENGTH = 128;

    private LeaseFields() {
    }
}
