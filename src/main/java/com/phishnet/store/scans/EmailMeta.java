package com.phishnet.store.scans;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;

/** Metadata of a scanned message, never its body; one per message id and tenant. */
@Document(EmailFields.COLLECTION)
public record EmailMeta(
        @Id String id,
        @Field(EmailFields.TENANT_ID) String tenantId,
        @Field(EmailFields.USER_ID) String userId,
        @Field(EmailFields.MESSAGE_ID) String messageId,
        @Field(EmailFields.SENDER) String sender,
        @Field(EmailFields.SENDER_DOMAIN) String senderDomain,
        @Field(EmailFields.RECIPIENTS) List<String> recipients,
        @Field(EmailFields.SUBJECT) String subject,
        @Field(EmailFields.RECEIVED_AT) Instant receivedAt,
        @Field(EmailFields.SIZE_BYTES) long sizeBytes,
        @Field(EmailFields.HASHES) Map<String, String> hashes,
        @Field(EmailFields.LEGAL_HOLD) boolean legalHold,
        @Field(EmailFields.CREATED_AT) Instant createdAt) {
}
