package com.phishnet.store.reputation;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;

/**
 * A verdict about a sender, domain, URL or IP, valid until {@code expiresAt}: a global feed verdict (no
 * {@code tenantId}) or one tenant's override of it.
 */
@Document(ReputationFields.COLLECTION)
public record ReputationEntry(
        @Id String id,
        @Field(ReputationFields.SCOPE) ReputationScope scope,
        @Field(ReputationFields.TENANT_ID) String tenantId,
        @Field(ReputationFields.SUBJECT_TYPE) SubjectType subjectType,
        @Field(ReputationFields.SUBJECT) String subject,
        @Field(ReputationFields.VERDICT) ReputationVerdict verdict,
        @Field(ReputationFields.SCORE) double score,
        @Field(ReputationFields.SOURCE) String source,
        @Field(ReputationFields.FETCHED_AT) Instant fetchedAt,
        @Field(ReputationFields.EXPIRES_AT) Instant expiresAt) {

    /** A new entry of this owner; its id is derived, so a write replaces the owner's previous verdict. */
    public static ReputationEntry of(ReputationOwner owner, SubjectType type, String normalizedSubject,
            ReputationVerdict verdict, double score, String source, Instant fetchedAt, Instant expiresAt) {
        return new ReputationEntry(owner.documentId(type, normalizedSubject), owner.scope(), owner.tenantId(), type,
                normalizedSubject, verdict, score, source, fetchedAt, expiresAt);
    }

    public ReputationOwner owner() {
        return new ReputationOwner(scope, tenantId);
    }

    /** Compact cache form: the fields joined by a separator that cannot occur in them (subjects are not cached). */
    String toCacheValue() {
        return verdict + "\u001f" + score + "\u001f" + source + "\u001f" + fetchedAt.toEpochMilli() + "\u001f"
                + expiresAt.toEpochMilli();
    }

    static ReputationEntry fromCacheValue(ReputationOwner owner, SubjectType type, String subject, String value) {
        String[] parts = value.split("\u001f", -1);
        return of(owner, type, subject, ReputationVerdict.valueOf(parts[0]), Double.parseDouble(parts[1]), parts[2],
                Instant.ofEpochMilli(Long.parseLong(parts[3])), Instant.ofEpochMilli(Long.parseLong(parts[4])));
    }
}
