package com.phishnet.store.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.model.IndexModel;
import com.phishnet.store.platform.web.InputBounds;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** V018 as the BSON the server receives: the indexes and the bounds of the api_keys validator. */
class V018ApiKeysTest {

    private final Document schema = V018_ApiKeys.apiKeys().get("$jsonSchema", Document.class);
    private final Document properties = schema.get("properties", Document.class);

    @Test
    void thePrefixIsUniqueAcrossTenantsAndTheListIsIndexedInItsOrder() {
        IndexModel prefix = V018_ApiKeys.indexes().get(0);
        IndexModel list = V018_ApiKeys.indexes().get(1);

        assertThat(V018_ApiKeys.indexes()).hasSize(2);
        assertThat(prefix.getKeys().toBsonDocument().toJson()).isEqualTo("{\"prefix\": 1}");
        assertThat(prefix.getOptions().isUnique()).isTrue();
        assertThat(prefix.getOptions().getName()).isEqualTo("api_keys_prefix_unique");
        assertThat(list.getKeys().toBsonDocument().toJson()).isEqualTo("{\"tenantId\": 1, \"createdAt\": -1, \"_id\": -1}");
        assertThat(list.getOptions().isUnique()).isFalse();
        assertThat(list.getOptions().getName()).isEqualTo("api_keys_tenant_created");
    }

    @Test
    void everyFieldAKeyAlwaysHasIsRequired() {
        assertThat(schema.getList("required", String.class)).containsExactlyInAnyOrder("_id", "tenantId", "name",
                "prefix", "hash", "scopes", "createdBy", "createdAt");
    }

    @Test
    void theHashIsA43CharacterBase64urlHmacAndThePrefixTwelveBase32Characters() {
        assertThat(properties.get("hash", Document.class)).containsEntry("minLength", 43).containsEntry("maxLength", 43)
                .containsEntry("pattern", "^[A-Za-z0-9_-]{43}\\z");
        assertThat(properties.get("prefix", Document.class)).containsEntry("minLength", 12)
                .containsEntry("maxLength", 12).containsEntry("pattern", "^[a-z2-7]{12}\\z");
    }

    @Test
    void scopesAreOneToThreeDistinctGrantableScopesNeverTheOperatorsOne() {
        Document scopes = properties.get("scopes", Document.class);

        assertThat(scopes).containsEntry("minItems", 1).containsEntry("maxItems", 3).containsEntry("uniqueItems", true);
        assertThat(scopes.get("items", Document.class).getList("enum", String.class))
                .containsExactly("scans:write", "reputation:write", "credentials:read-secret");
    }

    @Test
    void theTenantAndTheNameHaveTheApisBounds() {
        assertThat(properties.get("tenantId", Document.class))
                .containsEntry("pattern", "^" + InputBounds.TENANT_ID_PATTERN + "\\z");
        assertThat(properties.get("name", Document.class)).containsEntry("minLength", 1).containsEntry("maxLength", 100)
                .containsEntry("pattern", "^[^\\p{Cc}\\p{Cf}]+\\z");
    }
}
