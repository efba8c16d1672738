package com.phishnet.store.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import com.mongodb.client.model.IndexModel;
import com.phishnet.store.platform.web.InputBounds;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** V009 as the BSON the server receives: the TTL index and the bounds of the stream-ticket validator. */
class V009StreamTicketsTest {

    private final Document properties = V009_StreamTickets.streamTickets().get("$jsonSchema", Document.class)
            .get("properties", Document.class);

    @Test
    void ticketsExpireAtTheStoredInstant() {
        IndexModel index = V009_StreamTickets.indexes().get(0);

        assertThat(V009_StreamTickets.indexes()).hasSize(1);
        assertThat(index.getKeys().toBsonDocument().toJson()).isEqualTo("{\"expiresAt\": 1}");
        assertThat(index.getOptions().getName()).isEqualTo("stream_tickets_expiry_ttl");
        assertThat(index.getOptions().getExpireAfter(TimeUnit.SECONDS)).isZero();
    }

    @Test
    void everyFieldTheServiceWritesIsRequired() {
        assertThat(V009_StreamTickets.streamTickets().get("$jsonSchema", Document.class).getList("required", String.class))
                .containsExactlyInAnyOrder("_id", "subject", "tenantId", "roles", "scopes", "stream", "createdAt",
                        "expiresAt", "tokenExpiresAt");
    }

    @Test
    void theIdIsAHexSha256AndNeverTheTicketItself() {
        assertThat(properties.get("_id", Document.class)).containsEntry("minLength", 64).containsEntry("maxLength", 64)
                .containsEntry("pattern", "^[0-9a-f]{64}\\z");
    }

    @Test
    void theTenantHasTheTokenRulesPattern() {
        assertThat(properties.get("tenantId", Document.class))
                .containsEntry("pattern", "^" + InputBounds.TENANT_ID_PATTERN + "\\z");
    }

    @Test
    void rolesAndScopesAreBoundedByTheirEnums() {
        assertThat(properties.get("roles", Document.class)).containsEntry("maxItems", 3);
        assertThat(properties.get("scopes", Document.class)).containsEntry("maxItems", 4);
    }

    @Test
    void theStreamIsAPathUnderTheStreamsRoutes() {
        assertThat(properties.get("stream", Document.class)).containsEntry("maxLength", 85)
                .containsEntry("pattern", "^/api/v1/streams/[A-Za-z0-9_/-]+\\z");
    }
}
