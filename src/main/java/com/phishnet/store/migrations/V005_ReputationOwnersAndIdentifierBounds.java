package com.phishnet.store.migrations;

import static com.mongodb.client.model.Indexes.ascending;
import static com.phishnet.store.migrations.JsonSchema.date;
import static com.phishnet.store.migrations.JsonSchema.enumOf;
import static com.phishnet.store.migrations.JsonSchema.number;
import static com.phishnet.store.migrations.JsonSchema.object;
import static com.phishnet.store.migrations.JsonSchema.properties;
import static com.phishnet.store.migrations.JsonSchema.string;
import static com.phishnet.store.migrations.JsonSchema.validator;

import java.util.List;

import com.mongodb.MongoCommandException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.phishnet.store.platform.web.InputBounds;
import com.phishnet.store.reputation.ReputationFields;
import com.phishnet.store.scans.FeedbackFields;
import io.mongock.api.annotations.ChangeUnit;
import io.mongock.api.annotations.Execution;
import io.mongock.api.annotations.RollbackExecution;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reputation gets owners and identifier fields get the bounds the API accepts.
 * <ul>
 * <li>{@code reputation_cache}: entries are global verdicts or per-tenant overrides ({@code scope},
 * {@code tenantId}); {@code _id} becomes a fixed-length hash of owner, type and subject (the old
 * {@code TYPE:subject} id broke the 64-character bound for most URLs). The unique (subjectType, subject) index
 * goes, since a subject now has one entry per owner; the {@code _id} is the only unique key, and tenant lookups
 * get an index that starts with {@code tenantId}.</li>
 * <li>Entries of the old shape are deleted, not re-keyed: any tenant could write them, so they cannot be told
 * apart from a tenant's correction and must not become global verdicts; the collection is a cache that the
 * feeds refill within their TTL (at most 30 days).</li>
 * <li>{@code feedback.analystId} holds a token {@code sub}, up to {@link InputBounds#SUBJECT_MAX} characters.</li>
 * </ul>
 * Validators change with {@code collMod}; DDL cannot run in a transaction, and every step is idempotent.
 */
@ChangeUnit(id = "V005-reputation-owners-and-identifier-bounds", order = "0005", author = "phishnet-store",
        transactional = false)
public class V005_ReputationOwnersAndIdentifierBounds {

    static final String OLD_SUBJECT_INDEX = "reputation_subject_unique";
    static final String TENANT_SUBJECT_INDEX = "reputation_tenant_subject";

    static final int INDEX_NOT_FOUND = 27;
    private static final Logger log = LoggerFactory.getLogger(V005_ReputationOwnersAndIdentifierBounds.class);

    @Execution
    public void apply(MongoDatabase database) {
        MongoCollection<Document> reputation = database.getCollection(ReputationFields.COLLECTION);
        Mono.from(database.runCommand(collMod(ReputationFields.COLLECTION, reputation()))).block();
        Long dropped = Mono.from(reputation.deleteMany(Filters.exists(ReputationFields.SCOPE, false)))
                .map(result -> result.getDeletedCount()).block();
        log.info("V005 removed {} reputation entries of the ownerless shape; the feeds write them again", dropped);
        Mono.from(reputation.dropIndex(OLD_SUBJECT_INDEX))
                .onErrorResume(MongoCommandException.class,
                        missing -> missing.getErrorCode() == INDEX_NOT_FOUND ? Mono.empty() : Mono.error(missing))
                .block();
        Flux.from(reputation.createIndexes(reputationIndexes())).then().block();
        Mono.from(database.runCommand(collMod(FeedbackFields.COLLECTION, feedback()))).block();
    }

    @RollbackExecution
    public void rollback(MongoDatabase database) {
        // Re-running applies the same validators and indexes; the deleted cache entries are refilled by the feeds.
    }

    static Document reputation() {
        Document schema = object(
                List.of(ReputationFields.ID, ReputationFields.SCOPE, ReputationFields.SUBJECT_TYPE,
                        ReputationFields.SUBJECT, ReputationFields.VERDICT, ReputationFields.SCORE,
                        ReputationFields.SOURCE, ReputationFields.FETCHED_AT, ReputationFields.EXPIRES_AT),
                properties(
                        ReputationFields.ID, string(ReputationFields.ID_LENGTH, ReputationFields.ID_LENGTH),
                        ReputationFields.SCOPE, enumOf(ReputationFields.SCOPES),
                        ReputationFields.TENANT_ID, string(1, InputBounds.TENANT_ID_MAX),
                        ReputationFields.SUBJECT_TYPE, enumOf(ReputationFields.SUBJECT_TYPES),
                        ReputationFields.SUBJECT, string(1, ReputationFields.SUBJECT_MAX),
                        ReputationFields.VERDICT, enumOf(ReputationFields.VERDICTS),
                        ReputationFields.SCORE, number(0, 1),
                        ReputationFields.SOURCE, string(1, ReputationFields.SOURCE_MAX),
                        ReputationFields.FETCHED_AT, date(),
                        ReputationFields.EXPIRES_AT, date()));
        // A tenant override names its tenant; a global verdict names none.
        schema.append("anyOf", List.of(
                object(List.of(), properties(ReputationFields.SCOPE, enumOf("GLOBAL")))
                        .append("not", new Document("required", List.of(ReputationFields.TENANT_ID))),
                object(List.of(ReputationFields.TENANT_ID), properties(ReputationFields.SCOPE, enumOf("TENANT")))));
        return validator(schema);
    }

    /** V001's feedback validator with identifier bounds from {@link InputBounds}. */
    static Document feedback() {
        Document schema = V001_CreateCollections.feedback().get("$jsonSchema", Document.class);
        Document properties = new Document(schema.get("properties", Document.class));
        properties.put(FeedbackFields.TENANT_ID, string(1, InputBounds.TENANT_ID_MAX));
        properties.put(FeedbackFields.SCAN_ID, string(1, InputBounds.ID_MAX));
        properties.put(FeedbackFields.ANALYST_ID, string(1, InputBounds.SUBJECT_MAX));
        return validator(new Document(schema).append("properties", properties));
    }

    /** Non-unique on purpose: {@code _id} already keeps one entry per owner and subject (see the class comment). */
    static List<IndexModel> reputationIndexes() {
        return List.of(new IndexModel(ascending(ReputationFields.TENANT_ID, ReputationFields.SUBJECT_TYPE,
                ReputationFields.SUBJECT), new IndexOptions().name(TENANT_SUBJECT_INDEX)));
    }

    private static Document collMod(String collection, Document validator) {
        return new Document("collMod", collection)
                .append("validator", validator)
                .append("validationLevel", "strict")
                .append("validationAction", "error");
    }
}
