package com.phishnet.store.migrations;

import static com.mongodb.client.model.Indexes.ascending;
import static com.phishnet.store.migrations.JsonSchema.string;

import java.util.List;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.phishnet.store.platform.web.Idempotency;
import com.phishnet.store.users.UserFields;
import io.mongock.api.annotations.ChangeUnit;
import io.mongock.api.annotations.Execution;
import io.mongock.api.annotations.RollbackExecution;
import org.bson.Document;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Idempotent user creation: the users validator accepts the client's Idempotency-Key and the request
 * fingerprint stored with the user, and a unique partial index makes a key usable once per tenant (and serves
 * the lookup of a retried request). Refresh-token rotation needs no new field: its retry is recognised by the
 * successor's token hash.
 */
@ChangeUnit(id = "V006-idempotent-creates", order = "0006", author = "phishnet-store", transactional = false)
public class V006_IdempotentCreates {

    static final String USERS_IDEMPOTENCY_INDEX = "users_tenant_idempotency_unique";
    /** Base64url of an HMAC-SHA-256 without padding. */
    static final int REQUEST_HASH_LENGTH = 43;

    @Execution
    public void apply(MongoDatabase database) {
        // Extends whatever validator the collection has now, so changes of earlier units are kept.
        Document current = currentValidator(database, UserFields.COLLECTION);
        Mono.from(database.runCommand(new Document("collMod", UserFields.COLLECTION)
                .append("validator", users(current))
                .append("validationLevel", "strict")
                .append("validationAction", "error"))).block();
        Flux.from(database.getCollection(UserFields.COLLECTION).createIndexes(userIndexes())).then().block();
    }

    @RollbackExecution
    public void rollback(MongoDatabase database) {
        // Re-running applies the same validator and index; nothing to undo.
    }

    /** The validator the collection has on the server now; null when it has none. */
    static Document currentValidator(MongoDatabase database, String collection) {
        return Flux.from(database.listCollections().filter(new Document("name", collection)))
                .next()
                .mapNotNull(info -> info.get("options", new Document()).get("validator", Document.class))
                .blockOptional()
                .orElse(null);
    }

    /** {@code current} (V001's users validator when there is none) plus the idempotency fields. */
    static Document users(Document current) {
        return JsonSchema.widened(current, V001_CreateCollections.users(), properties -> properties
                .append(UserFields.IDEMPOTENCY_KEY, new Document(string(1, Idempotency.MAX_KEY_LENGTH))
                        // \z, not $: PCRE and Java let $ match before a final newline, which the API refuses.
                        .append("pattern", "^" + Idempotency.KEY_PATTERN + "\\z"))
                .append(UserFields.REQUEST_HASH, string(REQUEST_HASH_LENGTH, REQUEST_HASH_LENGTH)));
    }

    static List<IndexModel> userIndexes() {
        // Only users created with a key are constrained; Spring Data writes no field for a null key.
        return List.of(new IndexModel(ascending(UserFields.TENANT_ID, UserFields.IDEMPOTENCY_KEY),
                new IndexOptions().name(USERS_IDEMPOTENCY_INDEX).unique(true)
                        .partialFilterExpression(Filters.exists(UserFields.IDEMPOTENCY_KEY))));
    }
}
