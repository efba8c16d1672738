package com.phishnet.store.analytics;

import java.time.Instant;

import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * A tenant's scan counters, kept by ingestion and feedback in the same transactions. Counters are created by
 * their first {@code $inc}, so a counter never incremented is absent (null here).
 */
@Document(TenantStatsFields.COLLECTION)
public record TenantStats(
        // Always a string: a tenant id of 24 hex digits would otherwise be stored as an ObjectId (validators refuse it).
        @MongoId(FieldType.STRING) String tenantId,
        @Field(TenantStatsFields.TOTAL) Long total,
        @Field(TenantStatsFields.CLEAN) Long clean,
        @Field(TenantStatsFields.SUSPICIOUS) Long suspicious,
        @Field(TenantStatsFields.MALICIOUS) Long malicious,
        @Field(TenantStatsFields.FEEDBACK) Long feedback,
        @Field(TenantStatsFields.LAST_SCAN_AT) Instant lastScanAt,
        @Field(TenantStatsFields.UPDATED_AT) Instant updatedAt) {
}
