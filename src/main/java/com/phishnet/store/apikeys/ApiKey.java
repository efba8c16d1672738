package com.phishnet.store.apikeys;

import java.time.Instant;
import java.util.List;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;

/**
 * An API key as stored: its lookup prefix and the keyed hash of its secret (never the key), the tenant it acts
 * for, its scopes (no role), who made it and when, and its lifecycle (expiry, revocation, rotation links, last use).
 */
@Document(ApiKeyFields.COLLECTION)
public record ApiKey(
        @Id String id,
        @Field(ApiKeyFields.TENANT_ID) String tenantId,
        @Field(ApiKeyFields.NAME) String name,
        @Field(ApiKeyFields.PREFIX) String prefix,
        @Field(ApiKeyFields.HASH) String hash,
        @Field(ApiKeyFields.SCOPES) List<String> scopes,
        @Field(ApiKeyFields.CREATED_BY) String createdBy,
        @Field(ApiKeyFields.CREATED_AT) Instant createdAt,
        @Field(ApiKeyFields.EXPIRES_AT) Instant expiresAt,
        @Field(ApiKeyFields.REVOKED_AT) Instant revokedAt,
        @Field(ApiKeyFields.REVOKED_BY) String revokedBy,
        @Field(ApiKeyFields.LAST_USED_AT) Instant lastUsedAt,
        @Field(ApiKeyFields.ROTATED_FROM) String rotatedFrom,
        @Field(ApiKeyFields.ROTATED_TO) String rotatedTo) {

    /** What a key is at an instant; derived, never stored. */
    public enum Status {
        ACTIVE, EXPIRED, REVOKED
    }

    public Status statusAt(Instant now) {
        if (revokedAt != null) {
            return Status.REVOKED;
        }
        return expiresAt != null && !expiresAt.isAfter(now) ? Status.EXPIRED : Status.ACTIVE;
    }

    /** The hash stays out of logs too. */
    @Override
    public String toString() {
        return "ApiKey[id=" + id + ", tenantId=" + tenantId + ", prefix=" + prefix + ", scopes=" + scopes + "]";
    }
}
