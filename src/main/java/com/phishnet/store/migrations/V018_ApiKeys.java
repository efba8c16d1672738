package com.phishnet.store.migrations;

import static com.mongodb.client.model.Indexes.ascending;
import static com.mongodb.client.model.Indexes.compoundIndex;
import static com.mongodb.client.model.Indexes.descending;
import static com.phishnet.store.migrations.JsonSchema.arrayOf;
import static com.phishnet.store.migrations.JsonSchema.date;
import static com.phishnet.store.migrations.JsonSchema.enumOf;
import static com.phishnet.store.migrations.JsonSchema.object;
import static com.phishnet.store.migrations.JsonSchema.properties;
import static com.phishnet.store.migrations.JsonSchema.string;
import static com.phishnet.store.migrations.JsonSchema.validator;

import java.util.List;

import com.mongodb.client.model.CreateCollectionOptions;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.ValidationAction;
import com.mongodb.client.model.ValidationLevel;
import com.mongodb.client.model.ValidationOptions;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.phishnet.store.apikeys.ApiKeyFields;
import com.phishnet.store.platform.web.InputBounds;
import io.mongock.api.annotations.ChangeUnit;
import io.mongock.api.annotations.Execution;
import io.mongock.api.annotations.RollbackExecution;
import org.bson.Document;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@code api_keys} collection (issue 14, item 2): API keys for machine clients. Its validator bounds every field
 * by what the API-key routes accept and the service writes (name 1-100 characters without control or format
 * characters, the three grantable scopes, a base32 prefix, a base64url HMAC, token subjects for who created or
 * revoked a key).
 * Indexes: the prefix, unique across tenants (every authenticated request finds its key by it), and (tenantId,
 * createdAt desc, _id desc) for the list's offset and keyset pages. Only listCollections, createCollection and
 * createIndexes: within the migrator's roles (MigrationPrivileges).
 */
@ChangeUnit(id = "V018-api-keys", order = "0018", author = "phishnet-store", transactional = false)
public class V018_ApiKeys {

    @Execution
    public void apply(MongoDatabase database) {
        List<String> existing = Flux.from(database.listCollectionNames()).collectList().block();
        if (!existing.contains(ApiKeyFields.COLLECTION)) {
            Mono.from(database.createCollection(ApiKeyFields.COLLECTION, new CreateCollectionOptions()
                    .validationOptions(new ValidationOptions().validator(apiKeys())
                            .validationLevel(ValidationLevel.STRICT).validationAction(ValidationAction.ERROR)))).block();
        }
        Flux.from(database.getCollection(ApiKeyFields.COLLECTION).createIndexes(indexes())).then().block();
    }

    @RollbackExecution
    public void rollback(MongoDatabase database) {
        // An empty collection left by a failed run is reused by the next one.
    }

    public static Document apiKeys() {
        String id = "^[A-Za-z0-9_-]{1," + InputBounds.ID_MAX + "}\\z";
        return validator(object(
                List.of(ApiKeyFields.ID, ApiKeyFields.TENANT_ID, ApiKeyFields.NAME, ApiKeyFields.PREFIX,
                        ApiKeyFields.HASH, ApiKeyFields.SCOPES, ApiKeyFields.CREATED_BY, ApiKeyFields.CREATED_AT),
                properties(
                        ApiKeyFields.ID, string(1, InputBounds.ID_MAX).append("pattern", id),
                        ApiKeyFields.TENANT_ID, matching(string(1, InputBounds.TENANT_ID_MAX),
                                InputBounds.TENANT_ID_PATTERN),
                        ApiKeyFields.NAME, matching(string(1, ApiKeyFields.NAME_MAX), ApiKeyFields.NAME_PATTERN),
                        ApiKeyFields.PREFIX, matching(string(ApiKeyFields.PREFIX_LENGTH, ApiKeyFields.PREFIX_LENGTH),
                                ApiKeyFields.PREFIX_PATTERN),
                        ApiKeyFields.HASH, matching(string(ApiKeyFields.HASH_LENGTH, ApiKeyFields.HASH_LENGTH),
                                ApiKeyFields.HASH_PATTERN),
                        ApiKeyFields.SCOPES, arrayOf(enumOf(ApiKeyFields.SCOPE_VALUES), ApiKeyFields.SCOPE_VALUES.length)
                                .append("minItems", 1).append("uniqueItems", true),
                        ApiKeyFields.CREATED_BY, string(1, InputBounds.SUBJECT_MAX),
                        ApiKeyFields.CREATED_AT, date(),
                        ApiKeyFields.EXPIRES_AT, date(),
                        ApiKeyFields.REVOKED_AT, date(),
                        ApiKeyFields.REVOKED_BY, string(1, InputBounds.SUBJECT_MAX),
                        ApiKeyFields.LAST_USED_AT, date(),
                        ApiKeyFields.ROTATED_FROM, string(1, InputBounds.ID_MAX).append("pattern", id),
                        ApiKeyFields.ROTATED_TO, string(1, InputBounds.ID_MAX).append("pattern", id))));
    }

    public static List<IndexModel> indexes() {
        return List.of(
                new IndexModel(ascending(ApiKeyFields.PREFIX),
                        new IndexOptions().name(ApiKeyFields.PREFIX_INDEX).unique(true)),
                new IndexModel(compoundIndex(ascending(ApiKeyFields.TENANT_ID),
                        descending(ApiKeyFields.CREATED_AT, ApiKeyFields.ID)),
                        new IndexOptions().name(ApiKeyFields.LIST_INDEX)));
    }

    /** The whole value must match: \z, not $, which PCRE and Java also let match before a final newline. */
    private static Document matching(Document string, String pattern) {
        return string.append("pattern", "^" + pattern + "\\z");
    }
}
