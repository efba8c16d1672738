package com.phishnet.store.audit;

import java.time.Instant;

/** Filters of the audit query; every field optional, time range [from, to). */
public record AuditFilter(AuditEventType eventType, String actorId, String targetId, Instant from, Instant to) {
}
