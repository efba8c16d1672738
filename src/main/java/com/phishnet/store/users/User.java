package com.phishnet.store.users;

import java.time.Instant;
import java.util.Locale;

import com.phishnet.store.platform.security.Access.Role;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;

/** An account of a tenant, with its role and per-user scan statistics. */
@Document(UserFields.COLLECTION)
public record User(
        @Id String id,
        @Field(UserFields.TENANT_ID) String tenantId,
        @Field(UserFields.EMAIL) String email,
        @Field(UserFields.EMAIL_NORMALIZED) String emailNormalized,
        @Field(UserFields.DISPLAY_NAME) String displayName,
        @Field(UserFields.ROLE) Role role,
        @Field(UserFields.STATUS) UserStatus status,
        @Field(UserFields.STATS) UserStats stats,
        @Field(UserFields.CREATED_AT) Instant createdAt,
        @Field(UserFields.UPDATED_AT) Instant updatedAt,
        @Field(UserFields.IDEMPOTENCY_KEY) String idempotencyKey,
        @Field(UserFields.REQUEST_HASH) String requestHash,
        @Field(UserFields.ERASED_AT) Instant erasedAt) {

    public User(String id, String tenantId, String email, String emailNormalized, String displayName, Role role,
            UserStatus status, UserStats stats, Instant createdAt, Instant updatedAt) {
        this(id, tenantId, email, emailNormalized, displayName, role, status, stats, createdAt, updatedAt, null, null);
    }

    public User(String id, String tenantId, String email, String emailNormalized, String displayName, Role role,
            UserStatus status, UserStats stats, Instant createdAt, Instant updatedAt, String idempotencyKey,
            String requestHash) {
        this(id, tenantId, email, emailNormalized, displayName, role, status, stats, createdAt, updatedAt,
                idempotencyKey, requestHash, null);
    }

    /** The form the per-tenant unique index compares: case-insensitive, surrounding blanks ignored. */
    public static String normalizeEmail(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    /** Scan counters, kept up to date by scan ingestion; {@link VerdictCounter} names the per-verdict ones. */
    public record UserStats(long total, long clean, long suspicious, long malicious, Instant lastScanAt) {

        public static UserStats empty() {
            return new UserStats(0, 0, 0, 0, null);
        }
    }
}
