package com.phishnet.store.migrations;

import static com.phishnet.store.migrations.JsonSchema.date;
import static com.phishnet.store.migrations.JsonSchema.enumOf;
import static com.phishnet.store.migrations.JsonSchema.object;
import static com.phishnet.store.migrations.JsonSchema.properties;
import static com.phishnet.store.migrations.JsonSchema.string;
import static com.phishnet.store.migrations.JsonSchema.validator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.client.model.CreateCollectionOptions;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ValidationAction;
import com.mongodb.client.model.ValidationLevel;
import com.mongodb.client.model.ValidationOptions;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.phishnet.store.platform.web.InputBounds;
import com.phishnet.store.retention.RetentionFields;
import io.mongock.api.annotations.ChangeUnit;
import io.mongock.api.annotations.Execution;
import io.mongock.api.annotations.RollbackExecution;
import org.bson.Document;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code retention_policies} (a tenant's overrides: days per kind of data, only the kinds a tenant may set, 1 to
 * 3650 each) and {@code legal_holds} (holds on a tenant or a user, kept when lifted), both validated, and the index
 * that lists a tenant's holds. Only create, listCollections and createIndexes: within the migrator's roles.
 */
@ChangeUnit(id = "V011-retention-policies-and-legal-holds", order = "0011", author = "phishnet-store", transactional = false)
public class V011_RetentionPoliciesAndLegalHolds {

    /** The kinds of data a tenant may override, as this change unit wrote them (RetainedData, minus SYSTEM_METRICS). */
    static final List<String> OVERRIDABLE = List.of("EMAILS_META", "SCAN_RESULTS", "FEEDBACK", "AUDIT_LOGS", "JOBS");
    static final int MAX_DAYS = 3650;

    @Execution
    public void apply(MongoDatabase database) {
        List<String> existing = Flux.from(database.listCollectionNames()).collectList().block();
        for (Map.Entry<String, Document> collection : Map.of(RetentionFields.POLICIES, policies(),
                RetentionFields.HOLDS, holds()).entrySet()) {
            if (!existing.contains(collection.getKey())) {
                Mono.from(database.createCollection(collection.getKey(), new CreateCollectionOptions()
                        .validationOptions(new ValidationOptions().validator(collection.getValue())
                                .validationLevel(ValidationLevel.STRICT).validationAction(ValidationAction.ERROR)))).block();
            }
        }
        Flux.from(database.getCollection(RetentionFields.HOLDS).createIndexes(indexes())).then().block();
    }

    @RollbackExecution
    public void rollback(MongoDatabase database) {
        // Empty collections left by a failed run are reused by the next one.
    }

    static Document policies() {
        Map<String, Document> days = new LinkedHashMap<>();
        OVERRIDABLE.forEach(kind -> days.put(kind, new Document("bsonType", List.of("int", "long"))
                .append("minimum", 1).append("maximum", MAX_DAYS)));
        Document daysObject = object(List.of(), days).append("additionalProperties", false);
        return validator(object(
                List.of(RetentionFields.POLICY_TENANT_ID, RetentionFields.POLICY_DAYS, RetentionFields.POLICY_UPDATED_AT,
                        RetentionFields.POLICY_UPDATED_BY),
                properties(
                        RetentionFields.POLICY_TENANT_ID, string(1, InputBounds.TENANT_ID_MAX),
                        RetentionFields.POLICY_DAYS, daysObject,
                        RetentionFields.POLICY_UPDATED_AT, date(),
                        RetentionFields.POLICY_UPDATED_BY, string(1, InputBounds.SUBJECT_MAX))));
    }

    static Document holds() {
        return validator(object(
                List.of(RetentionFields.HOLD_ID, RetentionFields.HOLD_TENANT_ID, RetentionFields.HOLD_REASON,
                        RetentionFields.HOLD_STATE, RetentionFields.HOLD_PLACED_BY, RetentionFields.HOLD_PLACED_AT),
                properties(
                        RetentionFields.HOLD_ID, string(1, InputBounds.ID_MAX),
                        RetentionFields.HOLD_TENANT_ID, string(1, InputBounds.TENANT_ID_MAX),
                        RetentionFields.HOLD_USER_ID, string(1, InputBounds.ID_MAX),
                        RetentionFields.HOLD_REASON, string(1, RetentionFields.MAX_REASON),
                        RetentionFields.HOLD_STATE, enumOf(RetentionFields.HOLD_STATES),
                        RetentionFields.HOLD_PLACED_BY, string(1, InputBounds.SUBJECT_MAX),
                        RetentionFields.HOLD_PLACED_AT, date(),
                        RetentionFields.HOLD_LIFTED_BY, string(1, InputBounds.SUBJECT_MAX),
                        RetentionFields.HOLD_LIFTED_AT, date(),
                        RetentionFields.HOLD_LIFT_REASON, string(1, RetentionFields.MAX_LIFT_REASON))));
    }

    static List<IndexModel> indexes() {
        // Serves a list by state in its order (placedAt, then _id) and isHeld's {tenantId, state} prefix; an unfiltered
        // list sorts in memory, which a tenant's handful of holds allows.
        return List.of(new IndexModel(Indexes.compoundIndex(Indexes.ascending(RetentionFields.HOLD_TENANT_ID),
                Indexes.ascending(RetentionFields.HOLD_STATE), Indexes.descending(RetentionFields.HOLD_PLACED_AT),
                Indexes.descending(RetentionFields.HOLD_ID)),
                new IndexOptions().name(RetentionFields.HOLDS_BY_TENANT_INDEX)));
    }
}
