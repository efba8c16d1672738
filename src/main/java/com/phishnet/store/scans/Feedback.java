package com.phishnet.store.scans;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;

/** An analyst's correction of a scan verdict; one per analyst and scan. */
@Document(FeedbackFields.COLLECTION)
public record Feedback(
        @Id String id,
        @Field(FeedbackFields.TENANT_ID) String tenantId,
        @Field(FeedbackFields.SCAN_ID) String scanId,
        @Field(FeedbackFields.ANALYST_ID) String analystId,
        @Field(FeedbackFields.CORRECTED_VERDICT) Verdict correctedVerdict,
        @Field(FeedbackFields.COMMENT) String comment,
        @Field(FeedbackFields.CREATED_AT) Instant createdAt,
        @Field(FeedbackFields.UPDATED_AT) Instant updatedAt) {
}
