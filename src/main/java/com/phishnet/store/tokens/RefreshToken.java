package com.phishnet.store.tokens;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;

/** A refresh token as stored: only its hash, its rotation family and its state. */
@Document(RefreshTokenFields.COLLECTION)
public record RefreshToken(
        @Id String id,
        @Field(RefreshTokenFields.TENANT_ID) String tenantId,
        @Field(RefreshTokenFields.USER_ID) String userId,
        @Field(RefreshTokenFields.FAMILY_ID) String familyId,
        @Field(RefreshTokenFields.TOKEN_HASH) String tokenHash,
        @Field(RefreshTokenFields.STATUS) RefreshTokenStatus status,
        @Field(RefreshTokenFields.ISSUED_AT) Instant issuedAt,
        @Field(RefreshTokenFields.EXPIRES_AT) Instant expiresAt,
        @Field(RefreshTokenFields.USED_AT) Instant usedAt,
        @Field(RefreshTokenFields.REPLACED_BY) String replacedBy) {
}
