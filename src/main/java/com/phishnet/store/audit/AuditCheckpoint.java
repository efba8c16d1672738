package com.phishnet.store.audit;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;

/**
 * Where a tenant's stored chain starts after retention removed its oldest entries: the last removed link
 * ({@code seq}, {@code hash}), when, and the archive that holds the removed entries. Written in the transaction that
 * deletes them; verification checks that the first remaining entry follows it.
 */
@Document(AuditFields.CHECKPOINTS)
public record AuditCheckpoint(
        @Id String tenantId,
        @Field(AuditFields.CHECKPOINT_SEQUENCE) long seq,
        @Field(AuditFields.CHECKPOINT_HASH) String hash,
        @Field(AuditFields.CHECKPOINT_REMOVED_AT) Instant removedAt,
        @Field(AuditFields.CHECKPOINT_ARCHIVE_ID) String archiveId) {
}
