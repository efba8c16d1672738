package com.phishnet.store.scans;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;

/**
 * An analyst's correction of a scan verdict; one per analyst and scan. {@code rating} and {@code flag} are
 * optional (null: not written). {@code modelVersion} and {@code scanVerdict} copy the scan's model version and
 * original verdict when the feedback is written, so the agreement statistics need no join; feedback older than
 * V017 gets them from V017's backfill, and lacks them only when its scan is gone.
 */
@Document(FeedbackFields.COLLECTION)
public record Feedback(
        @Id String id,
        @Field(FeedbackFields.TENANT_ID) String tenantId,
        @Field(FeedbackFields.SCAN_ID) String scanId,
        @Field(FeedbackFields.ANALYST_ID) String analystId,
        @Field(FeedbackFields.CORRECTED_VERDICT) Verdict correctedVerdict,
        @Field(FeedbackFields.COMMENT) String comment,
        @Field(FeedbackFields.CREATED_AT) Instant createdAt,
        @Field(FeedbackFields.UPDATED_AT) Instant updatedAt,
        @Field(FeedbackFields.RATING) Integer rating,
        @Field(FeedbackFields.FLAG) String flag,
        @Field(FeedbackFields.MODEL_VERSION) String modelVersion,
        @Field(FeedbackFields.SCAN_VERDICT) Verdict scanVerdict) {
}
