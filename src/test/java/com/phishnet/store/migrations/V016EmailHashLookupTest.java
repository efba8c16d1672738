package com.phishnet.store.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.model.IndexModel;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

class V016EmailHashLookupTest {

    @Test
    void theHashLookupHasTheTenantTheHashThenTheListsOrder() {
        IndexModel index = V016_EmailHashLookup.indexes().get(0);

        // Equalities first (tenant, hash), then the sort of every email list (receivedAt, _id descending).
        assertThat(index.getKeys().toBsonDocument(BsonDocument.class, null).toJson())
                .isEqualTo("{\"tenantId\": 1, \"hashes.sha256\": 1, \"receivedAt\": -1, \"_id\": -1}");
        assertThat(index.getOptions().getName()).isEqualTo("emails_tenant_sha256_received");
        assertThat(index.getOptions().isUnique()).isFalse();
    }
}
