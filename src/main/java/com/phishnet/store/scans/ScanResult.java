package com.phishnet.store.scans;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;

/** One scan of one message: the verdict, its evidence and how long it took. */
@Document(ScanFields.COLLECTION)
public record ScanResult(
        @Id String id,
        @Field(ScanFields.TENANT_ID) String tenantId,
        @Field(ScanFields.USER_ID) String userId,
        @Field(ScanFields.EMAIL_ID) String emailId,
        @Field(ScanFields.SENDER) String sender,
        @Field(ScanFields.VERDICT) Verdict verdict,
        @Field(ScanFields.EFFECTIVE_VERDICT) Verdict effectiveVerdict,
        @Field(ScanFields.SCORE) double score,
        @Field(ScanFields.INDICATORS) List<Indicator> indicators,
        @Field(ScanFields.MODEL_VERSION) String modelVersion,
        @Field(ScanFields.TIMINGS) Map<String, Long> timings,
        @Field(ScanFields.IDEMPOTENCY_KEY) String idempotencyKey,
        @Field(ScanFields.REQUEST_HASH) String requestHash,
        @Field(ScanFields.SCANNED_AT) Instant scannedAt,
        @Field(ScanFields.LEGAL_HOLD) boolean legalHold,
        @Field(ScanFields.CREATED_AT) Instant createdAt) {

    /** One piece of evidence behind a verdict. */
    public record Indicator(String type, String value, double weight) {
    }
}
