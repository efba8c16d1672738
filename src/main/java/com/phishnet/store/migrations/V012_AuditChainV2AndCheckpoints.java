package com.phishnet.store.migrations;

import static com.phishnet.store.migrations.JsonSchema.anyObject;
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
import com.phishnet.store.audit.AuditFields;
import com.phishnet.store.platform.web.InputBounds;
import io.mongock.api.annotations.ChangeUnit;
import io.mongock.api.annotations.Execution;
import io.mongock.api.annotations.RollbackExecution;
import org.bson.Document;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Audit chain v2 and checkpoints (issue 12). {@code audit_logs} accepts v2 entries ({@code v: 2}, a salt and the
 * personal digest of ip and userAgent) and their erased form ({@code erasedAt}, without ip, userAgent and salt),
 * while v1 entries stay valid as they are (erasure finds a user's entries through the (tenantId, actorId, at) index of
 * V002). {@code audit_checkpoints} holds each tenant's checkpoint after retention removed the oldest entries. Only
 * collMod, listCollections and create: within the migrator's roles (MigrationPrivileges).
 */
@ChangeUnit(id = "V012-audit-chain-v2-and-checkpoints", order = "0012", author = "phishnet-store", transactional = false)
public class V012_AuditChainV2AndCheckpoints {

    @Execution
    public void apply(MongoDatabase database) {
        Mono.from(database.runCommand(V010_Backups.collMod(AuditFields.COLLECTION, audit()))).block();
        List<String> existing = Flux.from(database.listCollectionNames()).collectList().block();
        if (!existing.contains(AuditFields.CHECKPOINTS)) {
            Mono.from(database.createCollection(AuditFields.CHECKPOINTS, new CreateCollectionOptions()
                    .validationOptions(new ValidationOptions().validator(checkpoints())
                            .validationLevel(ValidationLevel.STRICT).validationAction(ValidationAction.ERROR)))).block();
        }
    }

    @RollbackExecution
    public void rollback(MongoDatabase database) {
        // The validator only widens what was accepted; the collection is reused.
    }

    /**
     * V001's fields, plus the v2 ones. The entry is one of three shapes: v1 (none of the v2 fields), v2 as written
     * (v, salt, digest; not erased) or v2 erased (v, digest, erasedAt; no ip, userAgent or salt). Verification checks
     * the same; the validator keeps a mistaken write from storing a fourth.
     */
    static Document audit() {
        Document schema = object(
                List.of(AuditFields.ID, AuditFields.TENANT_ID, AuditFields.SEQUENCE, AuditFields.EVENT_TYPE,
                        AuditFields.OUTCOME, AuditFields.AT, AuditFields.HASH),
                properties(
                        AuditFields.ID, string(1, 64),
                        AuditFields.TENANT_ID, string(1, InputBounds.TENANT_ID_MAX),
                        AuditFields.SEQUENCE, wholeNumber(1),
                        AuditFields.EVENT_TYPE, string(1, 100),
                        AuditFields.ACTOR_ID, string(1, InputBounds.SUBJECT_MAX),
                        AuditFields.TARGET_TYPE, string(1, 100),
                        AuditFields.TARGET_ID, string(1, 128),
                        AuditFields.OUTCOME, enumOf(AuditFields.OUTCOMES),
                        AuditFields.IP, string(0, 64),
                        AuditFields.USER_AGENT, string(0, 1000),
                        AuditFields.REQUEST_ID, string(1, 100),
                        AuditFields.DETAILS, anyObject(),
                        AuditFields.AT, date(),
                        AuditFields.PREVIOUS_HASH, string(64, 64),
                        AuditFields.HASH, string(64, 64),
                        AuditFields.LEGAL_HOLD, JsonSchema.bool(),
                        AuditFields.VERSION, new Document("bsonType", "int").append("enum", List.of(2)),
                        AuditFields.SALT, hex64(),
                        AuditFields.PERSONAL_DIGEST, hex64(),
                        AuditFields.ERASED_AT, date()));
        Document v1 = new Document("not", anyRequired(AuditFields.VERSION, AuditFields.SALT, AuditFields.PERSONAL_DIGEST,
                AuditFields.ERASED_AT));
        Document v2 = new Document("required", List.of(AuditFields.VERSION, AuditFields.SALT, AuditFields.PERSONAL_DIGEST))
                .append("not", new Document("required", List.of(AuditFields.ERASED_AT)));
        Document v2Erased = new Document("required",
                List.of(AuditFields.VERSION, AuditFields.PERSONAL_DIGEST, AuditFields.ERASED_AT))
                .append("not", anyRequired(AuditFields.IP, AuditFields.USER_AGENT, AuditFields.SALT));
        return validator(schema.append("anyOf", List.of(v1, v2, v2Erased)));
    }

    static Document checkpoints() {
        return validator(object(
                List.of(AuditFields.CHECKPOINT_TENANT_ID, AuditFields.CHECKPOINT_SEQUENCE, AuditFields.CHECKPOINT_HASH,
                        AuditFields.CHECKPOINT_REMOVED_AT, AuditFields.CHECKPOINT_ARCHIVE_ID),
                properties(
                        AuditFields.CHECKPOINT_TENANT_ID, string(1, InputBounds.TENANT_ID_MAX),
                        AuditFields.CHECKPOINT_SEQUENCE, wholeNumber(1),
                        AuditFields.CHECKPOINT_HASH, hex64(),
                        AuditFields.CHECKPOINT_REMOVED_AT, date(),
                        AuditFields.CHECKPOINT_ARCHIVE_ID, string(1, InputBounds.ID_MAX))));
    }

    private static Document anyRequired(String... fields) {
        return new Document("anyOf", java.util.Arrays.stream(fields)
                .map(field -> new Document("required", List.of(field))).toList());
    }

    private static Document hex64() {
        return string(64, 64).append("pattern", "^[0-9a-f]{64}\\z");
    }
}
