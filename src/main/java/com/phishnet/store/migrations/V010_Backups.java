package com.phishnet.store.migrations;

import static com.phishnet.store.migrations.JsonSchema.anyObject;
import static com.phishnet.store.migrations.JsonSchema.arrayOf;
import static com.phishnet.store.migrations.JsonSchema.bool;
import static com.phishnet.store.migrations.JsonSchema.date;
import static com.phishnet.store.migrations.JsonSchema.enumOf;
import static com.phishnet.store.migrations.JsonSchema.object;
import static com.phishnet.store.migrations.JsonSchema.properties;
import static com.phishnet.store.migrations.JsonSchema.string;
import static com.phishnet.store.migrations.JsonSchema.validator;
import static com.phishnet.store.migrations.JsonSchema.wholeNumber;

import java.util.List;

import com.mongodb.client.model.CreateCollectionOptions;
import com.mongodb.client.model.ValidationAction;
import com.mongodb.client.model.ValidationLevel;
import com.mongodb.client.model.ValidationOptions;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.phishnet.store.backup.BackupFields;
import com.phishnet.store.jobs.JobFields;
import com.phishnet.store.platform.mongo.LeaseFields;
import com.phishnet.store.platform.web.InputBounds;
import io.mongock.api.annotations.ChangeUnit;
import io.mongock.api.annotations.Execution;
import io.mongock.api.annotations.RollbackExecution;
import org.bson.Document;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Backups become real: the {@code backups} validator takes what a backup records (cluster time, contents, key ids,
 * checksum, location, verification), {@code jobs} accepts the BACKUP and RESTORE types, and {@code leases} holds
 * the schedule's lease so one instance runs each scheduled backup. Only {@code collMod} and {@code create}: both in
 * the migrator's roles (MigrationPrivileges).
 */
@ChangeUnit(id = "V010-backups", order = "0010", author = "phishnet-store", transactional = false)
public class V010_Backups {

    @Execution
    public void apply(MongoDatabase database) {
        Mono.from(database.runCommand(collMod(BackupFields.COLLECTION, backups()))).block();
        Mono.from(database.runCommand(collMod(JobFields.COLLECTION, V007_JobScopes.jobs()))).block();
        List<String> existing = Flux.from(database.listCollectionNames()).collectList().block();
        if (!existing.contains(LeaseFields.COLLECTION)) {
            Mono.from(database.createCollection(LeaseFields.COLLECTION, new CreateCollectionOptions()
                    .validationOptions(new ValidationOptions().validator(leases())
                            .validationLevel(ValidationLevel.STRICT).validationAction(ValidationAction.ERROR)))).block();
        }
    }

    @RollbackExecution
    public void rollback(MongoDatabase database) {
        // The validators only widen what was accepted; a re-run applies them again.
    }

    static Document collMod(String collection, Document validator) {
        return new Document("collMod", collection).append("validator", validator)
                .append("validationLevel", "strict").append("validationAction", "error");
    }

    static Document backups() {
        Document clusterTime = object(List.of(BackupFields.CLUSTER_TIME_SECONDS, BackupFields.CLUSTER_TIME_INCREMENT),
                properties(BackupFields.CLUSTER_TIME_SECONDS, wholeNumber(0),
                        BackupFields.CLUSTER_TIME_INCREMENT, wholeNumber(0)));
        Document content = object(List.of(BackupFields.CONTENT_NAME, BackupFields.CONTENT_DOCUMENTS,
                        BackupFields.CONTENT_BYTES, BackupFields.CONTENT_SHA256),
                properties(BackupFields.CONTENT_NAME, string(1, 255),
                        BackupFields.CONTENT_DOCUMENTS, wholeNumber(0),
                        BackupFields.CONTENT_BYTES, wholeNumber(0),
                        BackupFields.CONTENT_SHA256, sha256()));
        Document verification = object(List.of(BackupFields.VERIFICATION_PASSED, BackupFields.VERIFICATION_AT,
                        BackupFields.VERIFICATION_DOCUMENTS, BackupFields.VERIFICATION_PROBLEMS),
                properties(BackupFields.VERIFICATION_PASSED, bool(),
                        BackupFields.VERIFICATION_AT, date(),
                        BackupFields.VERIFICATION_DOCUMENTS, wholeNumber(0),
                        BackupFields.VERIFICATION_PROBLEMS, arrayOf(string(1, BackupFields.MAX_PROBLEM_LENGTH),
                                BackupFields.MAX_PROBLEMS)));
        return validator(object(
                List.of(BackupFields.ID, BackupFields.STATE, BackupFields.REQUESTED_AT),
                properties(
                        BackupFields.ID, string(1, InputBounds.ID_MAX),
                        BackupFields.STATE, enumOf(BackupFields.STATES),
                        BackupFields.TRIGGER, enumOf(BackupFields.TRIGGERS),
                        BackupFields.REQUESTED_BY, string(1, InputBounds.SUBJECT_MAX),
                        BackupFields.REQUESTED_BY_TENANT, string(1, InputBounds.TENANT_ID_MAX),
                        BackupFields.REQUESTED_AT, date(),
                        BackupFields.COMPLETED_AT, date(),
                        BackupFields.NOTE, string(1, BackupFields.MAX_NOTE),
                        BackupFields.TENANT_ID, string(1, InputBounds.TENANT_ID_MAX),
                        BackupFields.REQUESTED_COLLECTIONS, arrayOf(string(1, 64), BackupFields.MAX_COLLECTIONS),
                        BackupFields.DATABASE, string(1, 63),
                        BackupFields.CLUSTER_TIME, clusterTime,
                        // One entry per data collection: far fewer than the bound, which only stops runaway growth.
                        BackupFields.CONTENTS, arrayOf(content, 1000),
                        BackupFields.KEY_IDS, arrayOf(string(1, 64), BackupFields.MAX_KEY_IDS),
                        BackupFields.DOCUMENTS, wholeNumber(0),
                        BackupFields.COUNTS, anyObject(),
                        BackupFields.CHECKSUM, sha256(),
                        BackupFields.SIZE_BYTES, wholeNumber(0),
                        BackupFields.LOCATION, string(1, 2048),
                        BackupFields.ENCRYPTION_KEY_ID, string(1, 64),
                        BackupFields.VERIFICATION, verification,
                        BackupFields.ERROR, string(0, 4000))));
    }

    static Document leases() {
        return validator(object(
                List.of(LeaseFields.ID, LeaseFields.HOLDER, LeaseFields.LOCKED_AT, LeaseFields.LOCKED_UNTIL),
                properties(
                        LeaseFields.ID, string(1, 64),
                        LeaseFields.HOLDER, string(1, 128),
                        LeaseFields.LOCKED_AT, date(),
                        LeaseFields.LOCKED_UNTIL, date())));
    }

    private static Document sha256() {
        return string(64, 64).append("pattern", "^[0-9a-f]{64}\\z");
    }
}
