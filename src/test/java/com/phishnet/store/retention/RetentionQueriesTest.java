package com.phishnet.store.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import com.phishnet.store.support.RenderedBson;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The legal-hold queries as rendered BSON: every one names its tenant. */
class RetentionQueriesTest {

    private static final Instant AT = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void aHoldIsFoundOnlyInItsTenant() {
        assertThat(RenderedBson.filter(RetentionRepository.inTenant("acme", "h-1"), LegalHold.class))
                .isEqualTo("{\"_id\": \"h-1\", \"tenantId\": \"acme\"}");
    }

    @Test
    void onlyAnActiveHoldOfTheTenantIsLifted() {
        assertThat(RenderedBson.filter(RetentionRepository.activeInTenant("acme", "h-1"), LegalHold.class))
                .isEqualTo("{\"_id\": \"h-1\", \"tenantId\": \"acme\", \"state\": \"ACTIVE\"}");
    }

    @Test
    void aUsersDataIsHeldByAHoldOnTheUserOrOnTheWholeTenant() {
        assertThat(RenderedBson.filter(RetentionRepository.covering("acme", "u-1"), LegalHold.class))
                .isEqualTo("{\"tenantId\": \"acme\", \"state\": \"ACTIVE\", \"$or\": [{\"userId\": {\"$exists\": false}}, "
                        + "{\"userId\": \"u-1\"}]}");
    }

    @Test
    void aListIsTheTenantsHoldsNewestFirstOptionallyByState() {
        var query = RetentionRepository.listed("acme", LegalHoldState.ACTIVE);

        assertThat(RenderedBson.filter(query, LegalHold.class)).isEqualTo("{\"tenantId\": \"acme\", \"state\": \"ACTIVE\"}");
        assertThat(query.getSortObject()).isEqualTo(new Document("placedAt", -1).append("_id", -1));
        assertThat(RenderedBson.filter(RetentionRepository.listed("acme", null), LegalHold.class))
                .isEqualTo("{\"tenantId\": \"acme\"}");
    }

    @Test
    void liftingRecordsWhoAndWhenAndAReasonOnlyWhenGiven() {
        assertThat(RenderedBson.update(RetentionRepository.lifted("admin-1", null, AT), LegalHold.class))
                .isEqualTo("{\"$set\": {\"state\": \"LIFTED\", \"liftedBy\": \"admin-1\", \"liftedAt\": {\"$date\": \"2026-12-06T10:00:00Z\"}}}");
        assertThat(RenderedBson.update(RetentionRepository.lifted("admin-1", "case closed", AT), LegalHold.class))
                .contains("\"liftReason\": \"case closed\"");
    }
}
