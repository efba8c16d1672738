package com.phishnet.store.apikeys;

/** Stored names and bounds of the {@code api_keys} collection, shared by the record, queries and V018's validator. */
public final class ApiKeyFields {

    public static final String COLLECTION = "api_keys";

    public static final String ID = "_id";
    public static final String TENANT_ID = "tenantId";
    public static final String NAME = "name";
    /** The random lookup part of the key, shown in lists; unique across all tenants. */
    public static final String PREFIX = "prefix";
    /**
     * HMAC-SHA-256 of the whole presented key ({@code pnk_<prefix>_<secret>}) under the server's api-key hash key,
     * base64url without padding: the key itself is never stored.
     */
    public static final String HASH = "hash";
    public static final String SCOPES = "scopes";
    public static final String CREATED_BY = "createdBy";
    public static final String CREATED_AT = "createdAt";
    /** Absent: the key does not expire. Rotation sets it to the end of the old key's grace period. */
    public static final String EXPIRES_AT = "expiresAt";
    public static final String REVOKED_AT = "revokedAt";
    public static final String REVOKED_BY = "revokedBy";
    /** Raised ($max) by the periodic flush of this instance's recorded uses; never lowered. */
    public static final String LAST_USED_AT = "lastUsedAt";
    public static final String ROTATED_FROM = "rotatedFrom";
    public static final String ROTATED_TO = "rotatedTo";

    /** Values of {@link ApiKeyScope}: the scopes a key may carry, as tokens write them. Never service:operator. */
    public static final String[] SCOPE_VALUES = {"scans:write", "reputation:write", "credentials:read-secret"};

    public static final int NAME_MAX = 100;
    /**
     * Text without control (Cc) or format (Cf) characters: names end up in lists and logs, where a bidi override
     * (U+202E) or a zero-width character would make one name pass for another.
     */
    public static final String NAME_PATTERN = "[^\\p{Cc}\\p{Cf}]+";
    public static final int PREFIX_LENGTH = 12;
    /** Base32 lower case (RFC 4648 alphabet): nothing a URL, a shell or a log line needs to escape. */
    public static final String PREFIX_PATTERN = "[a-z2-7]{" + PREFIX_LENGTH + "}";
    public static final int HASH_LENGTH = 43;
    public static final String HASH_PATTERN = "[A-Za-z0-9_-]{" + HASH_LENGTH + "}";

    public static final String PREFIX_INDEX = "api_keys_prefix_unique";
    public static final String LIST_INDEX = "api_keys_tenant_created";

    private ApiKeyFields() {
    }
}
