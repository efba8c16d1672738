package com.phishnet.store.audit;

/**
 * The result of checking a tenant's audit chain: how many entries were checked and, if the chain is broken,
 * the first entry where it breaks and why.
 */
public record ChainVerification(String tenantId, long entries, boolean valid, Long firstBrokenSeq,
        String firstBrokenId, String reason) {

    static ChainVerification intact(String tenantId, long entries) {
        return new ChainVerification(tenantId, entries, true, null, null, null);
    }

    static ChainVerification broken(String tenantId, long entries, AuditEntry entry, String reason) {
        return new ChainVerification(tenantId, entries, false, entry.seq(), entry.id(), reason);
    }

    /**
     * Checks one more entry against its predecessor (null for the first); returns null while the chain holds.
     * Pure, so the verification rules are unit-testable.
     */
    static String problem(AuditEntry previous, AuditEntry entry) {
        long expectedSeq = previous == null ? 1 : previous.seq() + 1;
        if (entry.seq() != expectedSeq) {
            return "expected sequence " + expectedSeq + " but found " + entry.seq() + " (an entry is missing)";
        }
        String expectedPrevious = previous == null ? null : previous.hash();
        if (expectedPrevious == null ? entry.prevHash() != null : !expectedPrevious.equals(entry.prevHash())) {
            return "prevHash does not match the hash of entry " + (previous == null ? "(none)" : previous.seq());
        }
        if (!AuditChain.hash(entry).equals(entry.hash())) {
            return "the entry's content does not match its hash (it was altered)";
        }
        return null;
    }
}
