package com.phishnet.store.audit;

import java.time.Instant;
import java.util.Map;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;

/**
 * One stored link of a tenant's audit chain. {@code v} is null for v1 entries (written before the salted personal
 * digest); v2 entries carry {@code salt} and {@code personalDigest}, and after erasure {@code erasedAt} instead of
 * ip, userAgent and salt.
 */
@Document(AuditFields.COLLECTION)
public record AuditEntry(
        @Id String id,
        @Field(AuditFields.TENANT_ID) String tenantId,
        @Field(AuditFields.SEQUENCE) long seq,
        @Field(AuditFields.EVENT_TYPE) String eventType,
        @Field(AuditFields.ACTOR_ID) String actorId,
        @Field(AuditFields.TARGET_TYPE) String targetType,
        @Field(AuditFields.TARGET_ID) String targetId,
        @Field(AuditFields.OUTCOME) AuditOutcome outcome,
        @Field(AuditFields.IP) String ip,
        @Field(AuditFields.USER_AGENT) String userAgent,
        @Field(AuditFields.REQUEST_ID) String requestId,
        @Field(AuditFields.DETAILS) Map<String, String> details,
        @Field(AuditFields.AT) Instant at,
        @Field(AuditFields.PREVIOUS_HASH) String prevHash,
        @Field(AuditFields.HASH) String hash,
        @Field(AuditFields.VERSION) Integer v,
        @Field(AuditFields.SALT) String salt,
        @Field(AuditFields.PERSONAL_DIGEST) String personalDigest,
        @Field(AuditFields.ERASED_AT) Instant erasedAt) {
}
