package com.phishnet.store.migrations;

import static com.phishnet.store.migrations.JsonSchema.arrayOf;
import static com.phishnet.store.migrations.JsonSchema.date;
import static com.phishnet.store.migrations.JsonSchema.enumOf;
import static com.phishnet.store.migrations.JsonSchema.object;
import static com.phishnet.store.migrations.JsonSchema.properties;
import static com.phishnet.store.migrations.JsonSchema.string;
import static com.phishnet.store.migrations.JsonSchema.validator;
import static com.phishnet.store.migrations.JsonSchema.wholeNumber;

import java.util.List;

import com.mongodb.client.model.CreateCollectionOptions;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ValidationAction;
import com.mongodb.client.model.ValidationLevel;
import com.mongodb.client.model.ValidationOptions;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.phishnet.store.backup.BackupFields;
import com.phishnet.store.jobs.JobFields;
import com.phishnet.store.platform.web.InputBounds;
import com.phishnet.store.retention.RetentionFields;
import io.mongock.api.annotations.ChangeUnit;
import io.mongock.api.annotations.Execution;
import io.mongock.api.annotations.RollbackExecution;
import org.bson.Document;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Retention runs: {@code backups} accepts the RETENTION trigger (a run's archive), {@code jobs} the RETENTION type
 * and gets the index that finds finished jobs by tenant and age, and {@code retention_runs} holds each run's
 * report. Only collMod, listCollections, create and createIndexes: within the migrator's roles
 * (MigrationPrivileges).
 */
@ChangeUnit(id = "V014-retention-runs", order = "0014", author = "phishnet-store", transactional = false)
public class V014_RetentionRuns {

    static final String JOBS_BY_TENANT_COMPLETED = "jobs_tenant_completed";

    @Execution
    public void apply(MongoDatabase database) {
        Mono.from(database.runCommand(V010_Backups.collMod(BackupFields.COLLECTION, V010_Backups.backups()))).block();
        Mono.from(database.runCommand(V010_Backups.collMod(JobFields.COLLECTION, V007_JobScopes.jobs()))).block();
        List<String> existing = Flux.from(database.listCollectionNames()).collectList().block();
        if (!existing.contains(RetentionFields.RUNS)) {
            Mono.from(database.createCollection(RetentionFields.RUNS, new CreateCollectionOptions()
                    .validationOptions(new ValidationOptions().validator(runs())
                            .validationLevel(ValidationLevel.STRICT).validationAction(ValidationAction.ERROR)))).block();
        }
        Flux.from(database.getCollection(RetentionFields.RUNS).createIndexes(runIndexes())).then().block();
        Flux.from(database.getCollection(JobFields.COLLECTION).createIndexes(jobIndexes())).then().block();
    }

    @RollbackExecution
    public void rollback(MongoDatabase database) {
        // Validators only widen; an empty collection and its indexes are reused by the next run.
    }

    static Document runs() {
        Document tally = object(List.of(RetentionFields.TALLY_COLLECTION, RetentionFields.TALLY_BEFORE,
                        RetentionFields.TALLY_EXPIRED, RetentionFields.TALLY_SKIPPED, RetentionFields.TALLY_DELETED),
                properties(RetentionFields.TALLY_COLLECTION, string(1, 64),
                        RetentionFields.TALLY_TENANT_ID, string(1, InputBounds.TENANT_ID_MAX),
                        RetentionFields.TALLY_BEFORE, date(),
                        RetentionFields.TALLY_EXPIRED, wholeNumber(0),
                        RetentionFields.TALLY_SKIPPED, wholeNumber(0),
                        RetentionFields.TALLY_DELETED, wholeNumber(0)));
        Document resumed = object(List.of(RetentionFields.RESUMED_RUN_ID, RetentionFields.RESUMED_ARCHIVE_ID,
                        RetentionFields.RESUMED_DELETED),
                properties(RetentionFields.RESUMED_RUN_ID, string(1, InputBounds.ID_MAX),
                        RetentionFields.RESUMED_ARCHIVE_ID, string(1, InputBounds.ID_MAX),
                        RetentionFields.RESUMED_DELETED, wholeNumber(0)));
        return validator(object(
                List.of(RetentionFields.RUN_ID, RetentionFields.RUN_STATE, RetentionFields.RUN_TRIGGER,
                        RetentionFields.RUN_PHASE, RetentionFields.RUN_STARTED_AT, RetentionFields.RUN_ARCHIVE_ID),
                properties(
                        RetentionFields.RUN_ID, string(1, InputBounds.ID_MAX),
                        RetentionFields.RUN_STATE, enumOf(RetentionFields.RUN_STATES),
                        RetentionFields.RUN_TRIGGER, enumOf(RetentionFields.RUN_TRIGGERS),
                        RetentionFields.RUN_PHASE, enumOf(RetentionFields.RUN_PHASES),
                        RetentionFields.RUN_REQUESTED_BY, string(1, InputBounds.SUBJECT_MAX),
                        RetentionFields.RUN_REQUESTED_BY_TENANT, string(1, InputBounds.TENANT_ID_MAX),
                        RetentionFields.RUN_STARTED_AT, date(),
                        RetentionFields.RUN_FINISHED_AT, date(),
                        RetentionFields.RUN_ARCHIVE_ID, string(1, InputBounds.ID_MAX),
                        RetentionFields.RUN_TALLIES, arrayOf(tally, RetentionFields.MAX_TALLIES),
                        RetentionFields.RUN_ARCHIVED, wholeNumber(0),
                        RetentionFields.RUN_DELETED, wholeNumber(0),
                        RetentionFields.RUN_RESUMED, arrayOf(resumed, RetentionFields.MAX_RESUMED),
                        RetentionFields.RUN_ERROR, string(0, 4000))));
    }

    /** The listing, newest first; and the run that holds an archive (asked before a backup is deleted). */
    static List<IndexModel> runIndexes() {
        return List.of(new IndexModel(Indexes.descending(RetentionFields.RUN_STARTED_AT, RetentionFields.RUN_ID),
                        new IndexOptions().name(RetentionFields.RUNS_BY_START_INDEX)),
                new IndexModel(Indexes.ascending(RetentionFields.RUN_ARCHIVE_ID),
                        new IndexOptions().name(RetentionFields.RUNS_BY_ARCHIVE_INDEX)));
    }

    /** Finished jobs of a tenant (or, with tenantId missing, the service's) by when they finished. */
    static List<IndexModel> jobIndexes() {
        return List.of(new IndexModel(Indexes.ascending(JobFields.TENANT_ID, JobFields.COMPLETED_AT),
                new IndexOptions().name(JOBS_BY_TENANT_COMPLETED)));
    }
}
