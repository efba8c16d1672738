package com.phishnet.store.backup;

import java.time.Instant;
import java.util.List;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;

/**
 * A backup: who asked and what for, then (once stored) the point in time it holds, what it holds, where it is and
 * how to check it, and the outcome of its last verification. Its id is the id of the job that made it.
 */
@Document(BackupFields.COLLECTION)
public record Backup(
        @Id String id,
        @Field(BackupFields.STATE) BackupState state,
        @Field(BackupFields.TRIGGER) BackupTrigger trigger,
        @Field(BackupFields.REQUESTED_BY) String requestedBy,
        @Field(BackupFields.REQUESTED_BY_TENANT) String requestedByTenant,
        @Field(BackupFields.REQUESTED_AT) Instant requestedAt,
        @Field(BackupFields.COMPLETED_AT) Instant completedAt,
        @Field(BackupFields.NOTE) String note,
        @Field(BackupFields.TENANT_ID) String tenantId,
        @Field(BackupFields.REQUESTED_COLLECTIONS) List<String> requestedCollections,
        @Field(BackupFields.DATABASE) String database,
        @Field(BackupFields.CLUSTER_TIME) ClusterTime clusterTime,
        @Field(BackupFields.CONTENTS) List<Content> contents,
        @Field(BackupFields.KEY_IDS) List<String> keyIds,
        @Field(BackupFields.DOCUMENTS) Long documents,
        @Field(BackupFields.SIZE_BYTES) Long sizeBytes,
        @Field(BackupFields.CHECKSUM) String checksum,
        @Field(BackupFields.LOCATION) String location,
        @Field(BackupFields.ENCRYPTION_KEY_ID) String encryptionKeyId,
        @Field(BackupFields.VERIFICATION) Verification verification,
        @Field(BackupFields.ERROR) String error) {

    public record ClusterTime(@Field(BackupFields.CLUSTER_TIME_SECONDS) long t,
            @Field(BackupFields.CLUSTER_TIME_INCREMENT) long i) {
    }

    /** One collection of the backup: its documents and its BSON file as stored in the archive. */
    public record Content(@Field(BackupFields.CONTENT_NAME) String name,
            @Field(BackupFields.CONTENT_DOCUMENTS) long documents,
            @Field(BackupFields.CONTENT_BYTES) long bytes,
            @Field(BackupFields.CONTENT_SHA256) String sha256) {
    }

    public record Verification(@Field(BackupFields.VERIFICATION_PASSED) boolean passed,
            @Field(BackupFields.VERIFICATION_AT) Instant at,
            @Field(BackupFields.VERIFICATION_DOCUMENTS) long documents,
            @Field(BackupFields.VERIFICATION_PROBLEMS) List<String> problems) {
    }

    /** A new RUNNING backup, before anything is read. */
    static Backup requested(String id, BackupTrigger trigger, String requestedBy, String requestedByTenant, Instant at,
            String note, String tenantId, List<String> collections) {
        return new Backup(id, BackupState.RUNNING, trigger, requestedBy, requestedByTenant, at, null, note, tenantId,
                collections, null, null, null, null, null, null, null, null, null, null, null);
    }

    boolean verified() {
        return verification != null && verification.passed();
    }
}
