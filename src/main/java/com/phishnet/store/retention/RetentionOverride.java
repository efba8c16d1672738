package com.phishnet.store.retention;

import java.time.Instant;
import java.util.Map;

import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/** A tenant's own retention days for some kinds of data (by {@link RetainedData} name); the rest keep the default. */
@Document(RetentionFields.POLICIES)
public record RetentionOverride(
        // Always a string: a tenant id of 24 hex digits would otherwise be stored as an ObjectId (validators refuse it).
        @MongoId(FieldType.STRING) String tenantId,
        @Field(RetentionFields.POLICY_DAYS) Map<String, Integer> days,
        @Field(RetentionFields.POLICY_UPDATED_AT) Instant updatedAt,
        @Field(RetentionFields.POLICY_UPDATED_BY) String updatedBy) {
}
