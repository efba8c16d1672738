package com.phishnet.store.audit;

import java.util.Map;
import java.util.TreeMap;

import com.phishnet.store.platform.security.Caller;

/**
 * What a service reports to the audit trail: who did what to which record, from where, with which outcome.
 * Never put a secret in {@link #details()}: the trail is kept longest of all records.
 */
public record AuditEvent(String tenantId, AuditEventType type, String actorId, String targetType, String targetId,
        AuditOutcome outcome, String ip, String userAgent, String requestId, Map<String, String> details) {

    public AuditEvent {
        details = details == null ? Map.of() : Map.copyOf(new TreeMap<>(details));
    }

    public static AuditEvent of(Caller caller, AuditEventType type, String targetType, String targetId) {
        return new AuditEvent(caller.tenantId(), type, caller.subject(), targetType, targetId, AuditOutcome.SUCCESS,
                caller.ip(), caller.userAgent(), caller.requestId(), Map.of());
    }

    public AuditEvent withOutcome(AuditOutcome newOutcome) {
        return new AuditEvent(tenantId, type, actorId, targetType, targetId, newOutcome, ip, userAgent, requestId, details);
    }

    public AuditEvent withDetail(String key, String value) {
        Map<String, String> more = new TreeMap<>(details);
        more.put(key, value);
        return new AuditEvent(tenantId, type, actorId, targetType, targetId, outcome, ip, userAgent, requestId, more);
    }
}
