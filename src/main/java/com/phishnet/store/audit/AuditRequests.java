package com.phishnet.store.audit;

import java.time.Instant;
import java.util.Map;

/** Response shapes of the audit API. */
public final class AuditRequests {

    private AuditRequests() {
    }

    /** One link of a tenant's audit chain, with the hashes a client needs to check it. */
    public record AuditEntryView(String id, String tenantId, long seq, String eventType, String actorId,
            String targetType, String targetId, AuditOutcome outcome, String ip, String userAgent, String requestId,
            Map<String, String> details, Instant at, String prevHash, String hash) {

        static AuditEntryView of(AuditEntry entry) {
            return new AuditEntryView(entry.id(), entry.tenantId(), entry.seq(), entry.eventType(), entry.actorId(),
                    entry.targetType(), entry.targetId(), entry.outcome(), entry.ip(), entry.userAgent(),
                    entry.requestId(), entry.details(), entry.at(), entry.prevHash(), entry.hash());
        }
    }
}
