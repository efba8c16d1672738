package com.phishnet.store.audit;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Consumer;

import com.phishnet.store.support.RenderedBson;
import org.bson.Document;

/** Entries as someone with write access to {@code audit_logs} would leave them: edited in their stored form. */
final class StoredEdits {

    static final byte[] SALT = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");

    private StoredEdits() {
    }

    static AuditEntry edit(AuditEntry entry, Consumer<Document> change) {
        Document stored = RenderedBson.document(entry);
        change.accept(stored);
        return RenderedBson.read(AuditEntry.class, stored);
    }

    /** A v1 entry as the service wrote them before v2: no v, ip and userAgent hashed in clear. */
    static AuditEntry v1(AuditEntry previous, AuditEvent event, Instant at, String id) {
        AuditEntry unsigned = new AuditEntry(id, event.tenantId(), previous == null ? 1 : previous.seq() + 1,
                event.type().name(), event.actorId(), event.targetType(), event.targetId(), event.outcome(), event.ip(),
                event.userAgent(), event.requestId(), event.details(), at, previous == null ? null : previous.hash(), null,
                null, null, null, null);
        return edit(unsigned, stored -> stored.put("hash", AuditChain.hash(unsigned)));
    }

    static AuditEvent event(String actorId, String targetId) {
        return new AuditEvent("acme", AuditEventType.USER_CREATED, actorId, "users", targetId, AuditOutcome.SUCCESS,
                "203.0.113.9", "curl/8", "req-1", Map.of("role", "ANALYST"));
    }
}
