package com.phishnet.store.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AuditChainTest {

    private final Instant now = Instant.parse("2026-11-23T10:15:30.123456789Z");
    private final AuditEvent event = new AuditEvent("acme", AuditEventType.USER_CREATED, "admin-1", "users", "u-1",
            AuditOutcome.SUCCESS, "10.0.0.1", "curl/8", "req-1", Map.of("role", "ANALYST"));

    @Test
    void theFirstEntryStartsTheChain() {
        AuditEntry first = AuditChain.next(null, event, now, "a1");

        assertThat(first.seq()).isEqualTo(1);
        assertThat(first.prevHash()).isNull();
        assertThat(first.hash()).hasSize(64).matches("[0-9a-f]+");
    }

    @Test
    void eachEntryLinksToThePreviousHash() {
        AuditEntry first = AuditChain.next(null, event, now, "a1");
        AuditEntry second = AuditChain.next(first, event, now.plusSeconds(1), "a2");

        assertThat(second.seq()).isEqualTo(2);
        assertThat(second.prevHash()).isEqualTo(first.hash());
        assertThat(second.hash()).isNotEqualTo(first.hash());
    }

    @Test
    void hashesWhatMongoDbStoresMillisecondsOnly() {
        AuditEntry entry = AuditChain.next(null, event, now, "a1");

        assertThat(entry.at()).isEqualTo(Instant.parse("2026-11-23T10:15:30.123Z"));
        assertThat(AuditChain.hash(entry)).isEqualTo(entry.hash());
    }

    @Test
    void anyEditedFieldChangesTheHash() {
        AuditEntry entry = AuditChain.next(null, event, now, "a1");
        AuditEntry edited = new AuditEntry(entry.id(), entry.tenantId(), entry.seq(), entry.eventType(), "someone-else",
                entry.targetType(), entry.targetId(), entry.outcome(), entry.ip(), entry.userAgent(), entry.requestId(),
                entry.details(), entry.at(), entry.prevHash(), entry.hash());

        assertThat(AuditChain.hash(edited)).isNotEqualTo(entry.hash());
    }

    @Test
    void editedDetailsChangeTheHash() {
        AuditEntry entry = AuditChain.next(null, event, now, "a1");
        AuditEntry edited = new AuditEntry(entry.id(), entry.tenantId(), entry.seq(), entry.eventType(), entry.actorId(),
                entry.targetType(), entry.targetId(), entry.outcome(), entry.ip(), entry.userAgent(), entry.requestId(),
                Map.of("role", "ADMIN"), entry.at(), entry.prevHash(), entry.hash());

        assertThat(AuditChain.hash(edited)).isNotEqualTo(entry.hash());
    }

    @Test
    void aMissingValueAndAnEmptyOneHashDifferently() {
        AuditEvent withoutIp = new AuditEvent("acme", AuditEventType.USER_CREATED, "admin-1", "users", "u-1",
                AuditOutcome.SUCCESS, null, "curl/8", "req-1", Map.of());
        AuditEvent withEmptyIp = new AuditEvent("acme", AuditEventType.USER_CREATED, "admin-1", "users", "u-1",
                AuditOutcome.SUCCESS, "", "curl/8", "req-1", Map.of());

        assertThat(AuditChain.next(null, withoutIp, now, "a").hash()).isNotEqualTo(AuditChain.next(null, withEmptyIp, now, "a").hash());
    }

    @Test
    void theDocumentIdIsNotPartOfTheHash() {
        assertThat(AuditChain.next(null, event, now, "a1").hash()).isEqualTo(AuditChain.next(null, event, now, "zz").hash());
    }
}
