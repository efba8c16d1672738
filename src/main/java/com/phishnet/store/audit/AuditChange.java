package com.phishnet.store.audit;

import java.time.Instant;

import com.phishnet.store.audit.AuditRequests.AuditEntryView;
import com.phishnet.store.platform.mongo.ResumeToken;

/**
 * A committed audit entry, as the audit stream sends it: resume token, commit time, what subscribers filter on,
 * and the entry as {@code GET /api/v1/admin/audit} lists it.
 */
public record AuditChange(ResumeToken token, Instant committedAt, String tenantId, String eventType,
        AuditEntryView entry) {
}
