package com.phishnet.store.retention;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;

/**
 * A legal hold on a tenant's data ({@code userId} absent) or on one user's: retention and erasure leave held data
 * alone while it is ACTIVE. Lifting keeps the record, with who lifted it, when and why.
 */
@Document(RetentionFields.HOLDS)
public record LegalHold(
        @Id String id,
        @Field(RetentionFields.HOLD_TENANT_ID) String tenantId,
        @Field(RetentionFields.HOLD_USER_ID) String userId,
        @Field(RetentionFields.HOLD_REASON) String reason,
        @Field(RetentionFields.HOLD_STATE) LegalHoldState state,
        @Field(RetentionFields.HOLD_PLACED_BY) String placedBy,
        @Field(RetentionFields.HOLD_PLACED_AT) Instant placedAt,
        @Field(RetentionFields.HOLD_LIFTED_BY) String liftedBy,
        @Field(RetentionFields.HOLD_LIFTED_AT) Instant liftedAt,
        @Field(RetentionFields.HOLD_LIFT_REASON) String liftReason) {
}
