package com.phishnet.store.tokens;

/** Stored names of the {@code refresh_tokens} collection. */
public final class RefreshTokenFields {

    public static final String COLLECTION = "refresh_tokens";

    public static final String ID = "_id";
    public static final String TENANT_ID = "tenantId";
    public static final String USER_ID = "userId";
    public static final String FAMILY_ID = "familyId";
    /** SHA-256 of the token: the token itself is never stored. */
    public static final String TOKEN_HASH = "tokenHash";
    public static final String STATUS = "status";
    public static final String ISSUED_AT = "issuedAt";
    /** The TTL index removes a token once this instant has passed. */
    public static final String EXPIRES_AT = "expiresAt";
    public static final String USED_AT = "usedAt";
    public static final String REPLACED_BY = "replacedBy";

    public static final String[] STATUSES = {"ACTIVE", "USED", "REVOKED"};

    private RefreshTokenFields() {
    }
}
