package com.phishnet.store.analytics;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;

/** A tenant's scan counters, kept by ingestion and feedback in the same transactions. */
@Document(TenantStatsFields.COLLECTION)
public record TenantStats(
        @Id String tenantId,
        @Field(TenantStatsFields.TOTAL) long total,
        @Field(TenantStatsFields.CLEAN) long clean,
        @Field(TenantStatsFields.SUSPICIOUS) long suspicious,
        @Field(TenantStatsFields.MALICIOUS) long malicious,
        @Field(TenantStatsFields.FEEDBACK) long feedback,
        @Field(TenantStatsFields.LAST_SCAN_AT) Instant lastScanAt,
        @Field(TenantStatsFields.UPDATED_AT) Instant updatedAt) {
}
