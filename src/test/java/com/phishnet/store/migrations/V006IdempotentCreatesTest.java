package com.phishnet.store.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import com.mongodb.MongoClientSettings;
import com.mongodb.client.model.IndexModel;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.support.JsonSchemaSubset;
import com.phishnet.store.support.RenderedBson;
import com.phishnet.store.users.User;
import com.phishnet.store.users.UserStatus;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** What V006 sends to the server: the extended users validator and the idempotency index, as BSON. */
class V006IdempotentCreatesTest {

    private final Instant now = Instant.parse("2026-11-23T10:00:00Z");
    private final Document validator = V006_IdempotentCreates.users(null);

    @Test
    void aUserCreatedWithAKeySatisfiesTheExtendedValidator() {
        Document written = RenderedBson.document(user("create-ann-1", "h".repeat(43)));

        assertThat(written.getString("idempotencyKey")).isEqualTo("create-ann-1");
        assertThat(JsonSchemaSubset.violations(validator, written)).isEmpty();
    }

    @Test
    void aUserCreatedWithoutAKeyWritesNoKeyFieldSoThePartialIndexIgnoresIt() {
        Document written = RenderedBson.document(user(null, null));

        assertThat(written).doesNotContainKeys("idempotencyKey", "requestHash");
        assertThat(JsonSchemaSubset.violations(validator, written)).isEmpty();
    }

    @Test
    void theKeyBoundsAreTheApisAndTheFingerprintHasItsFixedLength() {
        assertThat(JsonSchemaSubset.violations(validator, RenderedBson.document(user("k".repeat(201), "h".repeat(43)))))
                .anyMatch(violation -> violation.startsWith(".idempotencyKey"));
        assertThat(JsonSchemaSubset.violations(validator, RenderedBson.document(user("k", "h".repeat(42)))))
                .anyMatch(violation -> violation.startsWith(".requestHash"));
        Document key = validator.get("$jsonSchema", Document.class).get("properties", Document.class)
                .get("idempotencyKey", Document.class);
        assertThat(key.toJson()).isEqualTo("{\"bsonType\": \"string\", \"minLength\": 1, \"maxLength\": 200,"
                + " \"pattern\": \"^[A-Za-z0-9._:-]+\\\\z\"}");
        // $ would also match before a trailing newline (in PCRE as in Java); \z does not, like the API.
        assertThat(java.util.regex.Pattern.compile(key.getString("pattern")).matcher("abc\n").find()).isFalse();
        assertThat(java.util.regex.Pattern.compile("^[A-Za-z0-9._:-]+$").matcher("abc\n").find()).isTrue();
    }

    @Test
    void extendsTheValidatorTheCollectionHasNowInsteadOfReplacingIt() {
        Document current = V001_CreateCollections.users();
        Document schema = current.get("$jsonSchema", Document.class);
        schema.get("properties", Document.class).append("addedByAnotherUnit", new Document("bsonType", "bool"));

        Document extended = V006_IdempotentCreates.users(current).get("$jsonSchema", Document.class);

        assertThat(extended.get("properties", Document.class))
                .containsKeys("addedByAnotherUnit", "email", "idempotencyKey", "requestHash");
        assertThat(extended.getList("required", String.class))
                .isEqualTo(schema.getList("required", String.class));
    }

    @Test
    void theIdempotencyKeyIsUniquePerTenantWhereItExists() {
        List<IndexModel> indexes = V006_IdempotentCreates.userIndexes();

        assertThat(indexes).hasSize(1);
        IndexModel index = indexes.get(0);
        assertThat(bson(index.getKeys()).toJson()).isEqualTo("{\"tenantId\": 1, \"idempotencyKey\": 1}");
        assertThat(index.getOptions().getName()).isEqualTo("users_tenant_idempotency_unique");
        assertThat(index.getOptions().isUnique()).isTrue();
        assertThat(bson(index.getOptions().getPartialFilterExpression()).toJson())
                .isEqualTo("{\"idempotencyKey\": {\"$exists\": true}}");
    }

    private User user(String key, String requestHash) {
        return new User("u-1", "acme", "Ann@Example.com", "ann@example.com", null, Role.ANALYST, UserStatus.ACTIVE,
                User.UserStats.empty(), now, now, key, requestHash);
    }

    private static BsonDocument bson(org.bson.conversions.Bson value) {
        return value.toBsonDocument(BsonDocument.class, MongoClientSettings.getDefaultCodecRegistry());
    }
}
