package com.phishnet.store.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ChainVerificationTest {

    private final AuditEvent event = new AuditEvent("acme", AuditEventType.SCAN_INGESTED, "scanner", "scan_results",
            "s-1", AuditOutcome.SUCCESS, "ip", "ua", "r", Map.of());
    private final AuditEntry first = AuditChain.next(null, event, Instant.parse("2026-11-23T10:00:00Z"), "a1");
    private final AuditEntry second = AuditChain.next(first, event, Instant.parse("2026-11-23T10:00:01Z"), "a2");

    @Test
    void anIntactChainHasNoProblem() {
        assertThat(ChainVerification.problem(null, first)).isNull();
        assertThat(ChainVerification.problem(first, second)).isNull();
    }

    @Test
    void anEditedEntryIsFound() {
        AuditEntry edited = new AuditEntry(second.id(), second.tenantId(), second.seq(), second.eventType(), "intruder",
                second.targetType(), second.targetId(), second.outcome(), second.ip(), second.userAgent(),
                second.requestId(), second.details(), second.at(), second.prevHash(), second.hash());

        assertThat(ChainVerification.problem(first, edited)).contains("altered");
    }

    @Test
    void aMissingEntryIsFound() {
        AuditEntry third = AuditChain.next(second, event, Instant.parse("2026-11-23T10:00:02Z"), "a3");

        assertThat(ChainVerification.problem(first, third)).contains("expected sequence 2");
    }

    @Test
    void aRelinkedEntryIsFound() {
        AuditEntry forged = AuditChain.next(null, event, Instant.parse("2026-11-23T10:00:01Z"), "a2");
        AuditEntry relinked = new AuditEntry(forged.id(), forged.tenantId(), 2, forged.eventType(), forged.actorId(),
                forged.targetType(), forged.targetId(), forged.outcome(), forged.ip(), forged.userAgent(),
                forged.requestId(), forged.details(), forged.at(), "0".repeat(64), forged.hash());

        assertThat(ChainVerification.problem(first, relinked)).contains("prevHash");
    }
}
