package com.phishnet.store.migrations;

import static com.mongodb.client.model.Indexes.ascending;
import static com.phishnet.store.migrations.JsonSchema.binary;
import static com.phishnet.store.migrations.JsonSchema.date;
import static com.phishnet.store.migrations.JsonSchema.enumOf;
import static com.phishnet.store.migrations.JsonSchema.object;
import static com.phishnet.store.migrations.JsonSchema.properties;
import static com.phishnet.store.migrations.JsonSchema.string;
import static com.phishnet.store.migrations.JsonSchema.validator;

import java.util.List;
import java.util.Map;

import com.mongodb.client.model.CreateCollectionOptions;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.ValidationAction;
import com.mongodb.client.model.ValidationLevel;
import com.mongodb.client.model.ValidationOptions;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.phishnet.store.credentials.CredentialFields;
import com.phishnet.store.erasure.ErasureFields;
import com.phishnet.store.platform.web.InputBounds;
import com.phishnet.store.scans.EmailFields;
import com.phishnet.store.users.UserFields;
import io.mongock.api.annotations.ChangeUnit;
import io.mongock.api.annotations.Execution;
import io.mongock.api.annotations.RollbackExecution;
import org.bson.Document;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * GDPR erasure: the users validator accepts the status ERASED and {@code erasedAt} (the display name was optional
 * already; the pseudonym {@code erased-<id>@erased.invalid} fits the email bounds, which have no pattern);
 * {@code erasures}, the register of erased users, is created with a strict validator and a unique (tenantId,
 * userId) index; and the erasure's filters on {@code emails_meta} and {@code oauth_credentials} by (tenantId,
 * userId) get indexes (the only one on credentials with userId is partial on ACTIVE, which revoked ones miss).
 * The emails, scans and feedback validators need nothing: recipients has no minItems and takes the pseudonym,
 * subject and comment are optional. Only listCollections, collMod, create and createIndexes: within the migrator's
 * roles (MigrationPrivileges). Every step is idempotent.
 */
@ChangeUnit(id = "V013-user-erasure", order = "0013", author = "phishnet-store", transactional = false)
public class V013_UserErasure {

    static final String EMAILS_BY_USER_INDEX = "emails_tenant_user";
    static final String CREDENTIALS_BY_USER_INDEX = "credentials_tenant_user";

    @Execution
    public void apply(MongoDatabase database) {
        // Extends the validator the server has now (as V006 did), so changes made since are kept.
        Document current = V006_IdempotentCreates.currentValidator(database, UserFields.COLLECTION);
        Mono.from(database.runCommand(V010_Backups.collMod(UserFields.COLLECTION, users(current)))).block();
        List<String> existing = Flux.from(database.listCollectionNames()).collectList().block();
        if (!existing.contains(ErasureFields.COLLECTION)) {
            Mono.from(database.createCollection(ErasureFields.COLLECTION, new CreateCollectionOptions()
                    .validationOptions(new ValidationOptions().validator(erasures())
                            .validationLevel(ValidationLevel.STRICT).validationAction(ValidationAction.ERROR)))).block();
        }
        indexes().forEach((collection, models) ->
                Flux.from(database.getCollection(collection).createIndexes(models)).then().block());
    }

    @RollbackExecution
    public void rollback(MongoDatabase database) {
        // The validator only widens what was accepted; an empty register and the indexes are reused by a re-run.
    }

    /** The users validator as V006 left it (status from the full list, ERASED included) plus {@code erasedAt}. */
    static Document users() {
        return users(null);
    }

    /** {@code current} (V006's validator when there is none) with ERASED and {@code erasedAt}. */
    static Document users(Document current) {
        return JsonSchema.widened(current, V006_IdempotentCreates.users(null), properties -> {
            properties.put(UserFields.STATUS, enumOf(UserFields.STATUSES));
            properties.put(UserFields.ERASED_AT, date());
        });
    }

    /** No personal data: the pending address is sealed (binary ciphertext), never a string. */
    static Document erasures() {
        Document sealed = object(List.of(CredentialFields.SEALED_KEY_ID, CredentialFields.SEALED_CIPHERTEXT),
                properties(CredentialFields.SEALED_KEY_ID, string(1, 64),
                        CredentialFields.SEALED_CIPHERTEXT, binary()));
        return validator(object(
                List.of(ErasureFields.ID, ErasureFields.TENANT_ID, ErasureFields.USER_ID, ErasureFields.AT,
                        ErasureFields.ACTOR),
                properties(
                        ErasureFields.ID, string(1, InputBounds.ID_MAX),
                        ErasureFields.TENANT_ID, string(1, InputBounds.TENANT_ID_MAX),
                        ErasureFields.USER_ID, string(1, InputBounds.ID_MAX),
                        ErasureFields.AT, date(),
                        ErasureFields.ACTOR, string(1, InputBounds.SUBJECT_MAX),
                        ErasureFields.ACTOR_TENANT, string(1, InputBounds.TENANT_ID_MAX),
                        ErasureFields.COMPLETED_AT, date(),
                        ErasureFields.PENDING_ADDRESS, sealed)));
    }

    static Map<String, List<IndexModel>> indexes() {
        return Map.of(
                ErasureFields.COLLECTION, List.of(new IndexModel(ascending(ErasureFields.TENANT_ID, ErasureFields.USER_ID),
                        new IndexOptions().name(ErasureFields.BY_USER_INDEX).unique(true))),
                EmailFields.COLLECTION, List.of(new IndexModel(ascending(EmailFields.TENANT_ID, EmailFields.USER_ID),
                        new IndexOptions().name(EMAILS_BY_USER_INDEX))),
                CredentialFields.COLLECTION, List.of(new IndexModel(
                        ascending(CredentialFields.TENANT_ID, CredentialFields.USER_ID),
                        new IndexOptions().name(CREDENTIALS_BY_USER_INDEX))));
    }
}
