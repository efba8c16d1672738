package com.phishnet.store.credentials;

import java.time.Instant;
import java.util.List;

import com.phishnet.store.platform.crypto.Sealed;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;

/**
 * A mail-provider OAuth credential. The tokens exist here only sealed, each bound to this tenant, document and
 * field; the account address only as a keyed blind index.
 */
@Document(CredentialFields.COLLECTION)
public record Credential(
        @Id String id,
        @Field(CredentialFields.TENANT_ID) String tenantId,
        @Field(CredentialFields.USER_ID) String userId,
        @Field(CredentialFields.PROVIDER) CredentialProvider provider,
        @Field(CredentialFields.ACCOUNT_BLIND_INDEX) String accountBlindIndex,
        @Field(CredentialFields.ACCESS_TOKEN) Sealed accessToken,
        @Field(CredentialFields.REFRESH_TOKEN) Sealed refreshToken,
        @Field(CredentialFields.SCOPES) List<String> scopes,
        @Field(CredentialFields.STATUS) CredentialStatus status,
        @Field(CredentialFields.EXPIRES_AT) Instant expiresAt,
        @Field(CredentialFields.CREATED_AT) Instant createdAt,
        @Field(CredentialFields.ROTATED_AT) Instant rotatedAt,
        @Field(CredentialFields.REVOKED_AT) Instant revokedAt) {
}
