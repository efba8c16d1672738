package com.phishnet.store.migrations;

import static com.phishnet.store.migrations.JsonSchema.enumOf;
import static com.phishnet.store.migrations.JsonSchema.string;
import static com.phishnet.store.migrations.JsonSchema.validator;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.phishnet.store.jobs.JobFields;
import io.mongock.api.annotations.ChangeUnit;
import io.mongock.api.annotations.Execution;
import io.mongock.api.annotations.RollbackExecution;
import org.bson.Document;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Jobs get an owner: {@code scope} SERVICE (no {@code tenantId}; operators only) or TENANT (with its
 * {@code tenantId}), enforced by the validator, so reads can be scoped. Jobs written before this change were
 * all key rotations (service jobs): their {@code tenantId} was the requester's and moves to
 * {@code requestedByTenant}. And one RUNNING service job per type, enforced by a partial unique index so it
 * holds across instances.
 */
@ChangeUnit(id = "V007-job-scopes", order = "0007", author = "phishnet-store", transactional = false)
public class V007_JobScopes {

    @Execution
    public void apply(MongoDatabase database, Clock clock) {
        MongoCollection<Document> jobs = database.getCollection(JobFields.COLLECTION);
        Mono.from(database.runCommand(new Document("collMod", JobFields.COLLECTION)
                .append("validator", jobs())
                .append("validationLevel", "strict")
                .append("validationAction", "error"))).block();
        Mono.from(jobs.updateMany(unscoped(), scopeAsService())).block();
        // A second rotation could run before this change; the index cannot be built over two running ones.
        Flux.from(jobs.find(runningService()).sort(new Document(JobFields.UPDATED_AT, -1)).skip(1))
                .concatMap(older -> Mono.from(jobs.updateOne(new Document(JobFields.ID, older.get(JobFields.ID))
                        .append(JobFields.STATE, "RUNNING"), superseded(clock.instant()))))
                .then().block();
        Flux.from(jobs.createIndexes(indexes())).then().block();
    }

    @RollbackExecution
    public void rollback(MongoDatabase database) {
        // Re-running applies the same validator, backfill and index; nothing to undo.
    }

    /** V003's validator with the scope and requester's tenant, and tenantId present exactly on tenant jobs. */
    static Document jobs() {
        Document schema = V003_CreateJobs.jobs().get("$jsonSchema", Document.class);
        Document properties = new Document(schema.get("properties", Document.class));
        properties.append(JobFields.SCOPE, enumOf(JobFields.SCOPES))
                .append(JobFields.REQUESTED_BY_TENANT, string(1, 64));
        List<String> required = new ArrayList<>(schema.getList("required", String.class));
        required.add(JobFields.SCOPE);
        Document validator = validator(new Document(schema).append("required", required).append("properties", properties));
        return validator.append("$or", List.of(
                new Document(JobFields.SCOPE, "SERVICE").append(JobFields.TENANT_ID, new Document("$exists", false)),
                new Document(JobFields.SCOPE, "TENANT").append(JobFields.TENANT_ID, new Document("$exists", true))));
    }

    static List<IndexModel> indexes() {
        // Equality only in the filter: partial indexes accept equality, $exists:true, comparisons, $type, $and,
        // $or and $in; the implicit $and of two equalities works on every supported server version.
        return List.of(new IndexModel(Indexes.ascending(JobFields.TYPE), new IndexOptions()
                .name(JobFields.ONE_RUNNING_SERVICE_JOB_INDEX)
                .unique(true)
                .partialFilterExpression(runningService())));
    }

    static Document runningService() {
        return new Document(JobFields.STATE, "RUNNING").append(JobFields.SCOPE, "SERVICE");
    }

    static Document unscoped() {
        return new Document(JobFields.SCOPE, new Document("$exists", false));
    }

    /** Pipeline update: the requester's tenant keeps its value under its new name. */
    static List<Document> scopeAsService() {
        return List.of(
                new Document("$set", new Document(JobFields.SCOPE, "SERVICE")
                        .append(JobFields.REQUESTED_BY_TENANT, "$" + JobFields.TENANT_ID)),
                new Document("$unset", JobFields.TENANT_ID));
    }

    static Document superseded(Instant now) {
        Date at = Date.from(now);
        return new Document("$set", new Document(JobFields.STATE, "FAILED")
                .append(JobFields.ERROR, "superseded: only one job of a service type may run at a time")
                .append(JobFields.COMPLETED_AT, at).append(JobFields.UPDATED_AT, at));
    }
}
