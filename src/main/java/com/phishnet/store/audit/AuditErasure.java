package com.phishnet.store.audit;

/**
 * What {@link AuditService#erasePersonalData} did for one user: v2 entries whose ip, userAgent and salt it removed
 * now, and v1 entries naming the user that keep theirs (their hash covers ip and userAgent in clear, so erasing
 * them would break the chain; they go when retention removes them).
 */
public record AuditErasure(String tenantId, String userId, long erasedEntries, long legacyEntriesKept) {
}
