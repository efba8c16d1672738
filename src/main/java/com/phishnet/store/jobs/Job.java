package com.phishnet.store.jobs;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;

/**
 * A long-running admin job: what it is, whose it is, who asked, how far it got, and where it would resume.
 * A {@link JobScope#TENANT} job belongs to {@code tenantId}; a {@link JobScope#SERVICE} job belongs to no
 * tenant ({@code tenantId} absent) and only service operators see it. {@code requestedByTenant} records the
 * requester's tenant either way, for the audit trail, and never grants access.
 */
@Document(JobFields.COLLECTION)
public record Job(
        @Id String id,
        @Field(JobFields.TYPE) JobType type,
        @Field(JobFields.SCOPE) JobScope scope,
        @Field(JobFields.STATE) JobState state,
        @Field(JobFields.REQUESTED_BY) String requestedBy,
        @Field(JobFields.REQUESTED_BY_TENANT) String requestedByTenant,
        @Field(JobFields.TENANT_ID) String tenantId,
        @Field(JobFields.STARTED_AT) Instant startedAt,
        @Field(JobFields.UPDATED_AT) Instant updatedAt,
        @Field(JobFields.COMPLETED_AT) Instant completedAt,
        @Field(JobFields.PROCESSED) long processed,
        @Field(JobFields.CHANGED) long changed,
        @Field(JobFields.CURSOR) String cursor,
        @Field(JobFields.ERROR) String error) {
}
