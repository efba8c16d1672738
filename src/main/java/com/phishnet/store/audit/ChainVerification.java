package com.phishnet.store.audit;

/**
 * The result of checking a tenant's audit chain: how many entries were checked and, if the chain is broken,
 * the first entry where it breaks and why. {@code checkpointSeq} is the seq of the last entry retention removed,
 * where the check started (null when the chain is whole from seq 1).
 */
public record ChainVerification(String tenantId, long entries, boolean valid, Long firstBrokenSeq,
        String firstBrokenId, String reason, Long checkpointSeq) {

    static ChainVerification intact(String tenantId, long entries, AuditCheckpoint checkpoint) {
        return new ChainVerification(tenantId, entries, true, null, null, null, seqOf(checkpoint));
    }

    static ChainVerification broken(String tenantId, long entries, AuditEntry entry, String reason,
            AuditCheckpoint checkpoint) {
        return new ChainVerification(tenantId, entries, false, entry.seq(), entry.id(), reason, seqOf(checkpoint));
    }

    /** A checkpoint with no entry after it: retention never removes the head, so something else deleted it. */
    static ChainVerification headMissing(String tenantId, AuditCheckpoint checkpoint) {
        return new ChainVerification(tenantId, 0, false, checkpoint.seq() + 1, null,
                "no entry follows the checkpoint at sequence " + checkpoint.seq() + " (the chain's head was removed)",
                checkpoint.seq());
    }

    /**
     * Checks one more entry against its predecessor (null for the first); returns null while the chain holds.
     * Pure, so the verification rules are unit-testable.
     */
    static String problem(AuditEntry previous, AuditEntry entry) {
        return previous == null ? link(0, null, "(none)", entry)
                : link(previous.seq(), previous.hash(), "entry " + previous.seq(), entry);
    }

    /**
     * Checks the first stored entry of a chain against its checkpoint (null: no checkpoint, the chain must start
     * at seq 1); returns null while the chain holds.
     */
    static String firstProblem(AuditCheckpoint checkpoint, AuditEntry first) {
        return checkpoint == null ? problem(null, first)
                : link(checkpoint.seq(), checkpoint.hash(), "the checkpoint at " + checkpoint.seq(), first);
    }

    private static String link(long previousSeq, String previousHash, String previousName, AuditEntry entry) {
        long expectedSeq = previousSeq + 1;
        if (entry.seq() != expectedSeq) {
            return "expected sequence " + expectedSeq + " but found " + entry.seq() + " (an entry is missing)";
        }
        if (previousHash == null ? entry.prevHash() != null : !previousHash.equals(entry.prevHash())) {
            return "prevHash does not match the hash of " + previousName;
        }
        return contentProblem(entry);
    }

    /** The entry's own content: its personal digest (v2) and its hash. */
    static String contentProblem(AuditEntry entry) {
        if (entry.v() != null) {
            if (entry.v() != AuditChain.VERSION) {
                return "unknown chain version " + entry.v();
            }
            String personal = personalProblem(entry);
            if (personal != null) {
                return personal;
            }
        }
        if (!AuditChain.hash(entry).equals(entry.hash())) {
            return "the entry's content does not match its hash (it was altered)";
        }
        return null;
    }

    /**
     * A v2 entry either still has its salt, and ip and userAgent must give its digest, or was erased: then ip,
     * userAgent and salt are all gone, and the stored digest stands for them. An entry with an erasure date but
     * an ip left would let an edited ip pass unchecked, so it is a problem too.
     */
    private static String personalProblem(AuditEntry entry) {
        if (!AuditChain.isHex64(entry.personalDigest())) {
            return "the personal digest is missing or malformed";
        }
        if (entry.erasedAt() != null) {
            if (entry.salt() != null || entry.ip() != null || entry.userAgent() != null) {
                return "an erased entry still holds personal fields or their salt";
            }
            return null;
        }
        if (entry.salt() == null) {
            return "the salt is missing from an entry that was not erased";
        }
        if (!AuditChain.isHex64(entry.salt())) {
            return "the salt is malformed";
        }
        if (!AuditChain.personalDigest(entry.salt(), entry.ip(), entry.userAgent()).equals(entry.personalDigest())) {
            return "ip or userAgent does not match the personal digest (it was altered)";
        }
        return null;
    }

    private static Long seqOf(AuditCheckpoint checkpoint) {
        return checkpoint == null ? null : checkpoint.seq();
    }
}
