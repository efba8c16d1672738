package com.phishnet.store.audit;

import java.time.Instant;
import java.util.Map;

/** Response shapes of the audit API. */
public final class AuditRequests {

    private AuditRequests() {
    }

    /**
     * One link of a tenant's audit chain, with the hashes a client needs to check it: for a v2 entry ({@code v: 2})
     * the hash covers {@code personalDigest} instead of ip and userAgent, which are null once {@code erasedAt} is set.
     * The salt is never shown: with it, the digest of an erased entry could be tested against guessed addresses.
     */
    public record AuditEntryView(String id, String tenantId, long seq, String eventType, String actorId,
            String targetType, String targetId, AuditOutcome outcome, String ip, String userAgent, String requestId,
            Map<String, String> details, Instant at, String prevHash, String hash, Integer v, String personalDigest,
            Instant erasedAt) {

        static AuditEntryView of(AuditEntry entry) {
            return new AuditEntryView(entry.id(), entry.tenantId(), entry.seq(), entry.eventType(), entry.actorId(),
                    entry.targetType(), entry.targetId(), entry.outcome(), entry.ip(), entry.userAgent(),
                    entry.requestId(), entry.details(), entry.at(), entry.prevHash(), entry.hash(), entry.v(),
                    entry.personalDigest(), entry.erasedAt());
        }
    }
}
