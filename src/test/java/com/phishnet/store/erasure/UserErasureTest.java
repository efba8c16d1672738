package com.phishnet.store.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Set;

import com.phishnet.store.audit.AuditEvent;
import com.phishnet.store.audit.AuditEventType;
import com.phishnet.store.platform.crypto.Sealed;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.support.RenderedBson;
import org.junit.jupiter.api.Test;

/** The register's updates as BSON, and the audit event of an erasure: the reason and counts, never erased values. */
class UserErasureTest {

    private final Instant now = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void anErasureStartingCreatesOrReusesTheUsersEntryWithTheSealedPendingAddress() {
        String update = RenderedBson.update(ErasureRepository.started("r-1", now, "admin-1", null,
                new Sealed("k1", new byte[] {1})), Erasure.class);

        assertThat(update).contains("\"$setOnInsert\": {\"_id\": \"r-1\"}")
                .contains("\"at\": {\"$date\": \"2026-12-06T10:00:00Z\"}", "\"actor\": \"admin-1\"",
                        "\"pendingAddress\": {\"keyId\": \"k1\", \"ciphertext\":")
                .contains("\"$unset\": {\"completedAt\": 1, \"actorTenant\": 1}");
        assertThat(RenderedBson.filter(ErasureRepository.ofUser("acme", "u-1"), Erasure.class))
                .isEqualTo("{\"tenantId\": \"acme\", \"userId\": \"u-1\"}");
    }

    @Test
    void anOperatorsEntryNamesItsTenantAndAnEntryWithoutAddressLeavesNonePending() {
        String update = RenderedBson.update(ErasureRepository.started("r-1", now, "ops-1", "ops", null), Erasure.class);

        assertThat(update).contains("\"actorTenant\": \"ops\"").contains("\"pendingAddress\": 1")
                .doesNotContain("\"pendingAddress\": {");
    }

    @Test
    void completingRemovesThePendingAddress() {
        assertThat(RenderedBson.update(ErasureRepository.completed(now), Erasure.class)).isEqualTo(
                "{\"$set\": {\"completedAt\": {\"$date\": \"2026-12-06T10:00:00Z\"}}, \"$unset\": {\"pendingAddress\": 1}}");
    }

    @Test
    void theAuditEventGoesToTheErasedUsersTenantWithTheReasonAndTheOperatorsTenant() {
        Caller operator = new Caller("ops-1", "ops", Set.of(Role.ADMIN), Set.of("service:operator"), "2001:db8::1",
                "curl/8", "req-1");
        AuditEvent event = ErasureService.event(operator, "acme", "u-1", "DSR 41");

        assertThat(event.type()).isEqualTo(AuditEventType.USER_ERASED);
        assertThat(event.tenantId()).isEqualTo("acme");
        assertThat(event.targetId()).isEqualTo("u-1");
        assertThat(event.details()).containsOnlyKeys("reason", "actorTenant").containsEntry("actorTenant", "ops");
    }

    @Test
    void thePendingAddressIsBoundToItsTenantAndEntry() {
        assertThat(ErasureService.pendingContext("acme", "r-1").documentId()).isEqualTo("r-1");
        assertThat(ErasureService.pendingContext("acme", "r-1").collection()).isEqualTo("erasures");
        assertThat(ErasureService.pendingContext("acme", "r-1").field()).isEqualTo("pendingAddress");
    }
}
