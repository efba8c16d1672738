package com.phishnet.store.credentials;

/** Stored names of the {@code oauth_credentials} collection. */
public final class CredentialFields {

    public static final String COLLECTION = "oauth_credentials";

    public static final String ID = "_id";
    public static final String TENANT_ID = "tenantId";
    public static final String USER_ID = "userId";
    public static final String PROVIDER = "provider";
    /** Keyed HMAC of the mail account address: lets the service find a credential without decrypting. */
    public static final String ACCOUNT_BLIND_INDEX = "accountBlindIndex";
    public static final String ACCESS_TOKEN = "accessToken";
    public static final String REFRESH_TOKEN = "refreshToken";
    public static final String SCOPES = "scopes";
    public static final String STATUS = "status";
    public static final String EXPIRES_AT = "expiresAt";
    public static final String CREATED_AT = "createdAt";
    public static final String ROTATED_AT = "rotatedAt";
    public static final String REVOKED_AT = "revokedAt";

    /** Sub-fields of an encrypted value: the key that sealed it and the sealed bytes (nonce + ciphertext + tag). */
    public static final String SEALED_KEY_ID = "keyId";
    public static final String SEALED_CIPHERTEXT = "ciphertext";

    public static final String[] PROVIDERS = {"GOOGLE", "MICROSOFT", "IMAP"};
    public static final String[] STATUSES = {"ACTIVE", "REVOKED"};

    private CredentialFields() {
    }
}
