package com.phishnet.store.migrations;

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
import com.phishnet.store.jobs.JobFields;
import io.mongock.api.annotations.ChangeUnit;
import io.mongock.api.annotations.Execution;
import io.mongock.api.annotations.RollbackExecution;
import org.bson.Document;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The {@code jobs} collection for long-running admin work (key rotation first), with its validator and index. */
@ChangeUnit(id = "V003-create-jobs", order = "0003", author = "phishnet-store", transactional = false)
public class V003_CreateJobs {

    @Execution
    public void createJobs(MongoDatabase database) {
        List<String> existing = Flux.from(database.listCollectionNames()).collectList().block();
        if (!existing.contains(JobFields.COLLECTION)) {
            Mono.from(database.createCollection(JobFields.COLLECTION, new CreateCollectionOptions()
                    .validationOptions(new ValidationOptions().validator(jobs())
                            .validationLevel(ValidationLevel.STRICT).validationAction(ValidationAction.ERROR)))).block();
        }
        Flux.from(database.getCollection(JobFields.COLLECTION).createIndexes(indexes())).then().block();
    }

    @RollbackExecution
    public void rollback(MongoDatabase database) {
        // An empty collection left by a failed run is reused by the next one.
    }

    static Document jobs() {
        return validator(object(
                List.of(JobFields.ID, JobFields.TYPE, JobFields.STATE, JobFields.STARTED_AT),
                properties(
                        JobFields.ID, string(1, 64),
                        JobFields.TYPE, enumOf(JobFields.TYPES),
                        JobFields.STATE, enumOf(JobFields.STATES),
                        JobFields.REQUESTED_BY, string(1, 128),
                        JobFields.TENANT_ID, string(1, 64),
                        JobFields.STARTED_AT, date(),
                        JobFields.UPDATED_AT, date(),
                        JobFields.COMPLETED_AT, date(),
                        JobFields.PROCESSED, wholeNumber(0),
                        JobFields.CHANGED, wholeNumber(0),
                        JobFields.CURSOR, string(1, 128),
                        JobFields.ERROR, string(0, 1000))));
    }

    static List<IndexModel> indexes() {
        return List.of(new IndexModel(Indexes.compoundIndex(Indexes.ascending(JobFields.TYPE),
                Indexes.descending(JobFields.STARTED_AT)), new IndexOptions().name("jobs_type_started")));
    }
}
