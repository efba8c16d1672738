package com.phishnet.store.audit;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Which oldest entries of a tenant's chain retention may remove. Only a prefix goes, so the rest still links to the
 * checkpoint; it ends before the first entry that is not expired, before the first that names a held user (as actor
 * or target), and before the head, which stays so that new entries keep linking to a stored one.
 */
final class AuditPrefix {

    private AuditPrefix() {
    }

    /**
     * The seq of the last entry that may be removed, or 0 when none may.
     *
     * @param afterSeq the checkpoint's seq (0 without one): the entries must continue from it
     * @param entries  the stored entries after the checkpoint, in seq order (the first ones of the chain, possibly
     *                 not all of them)
     * @param headSeq  the seq of the chain's newest entry
     */
    static long expiredThrough(long afterSeq, List<AuditEntry> entries, long headSeq, Instant cutoff,
            Set<String> heldUserIds) {
        long through = 0;
        long expected = afterSeq + 1;
        for (AuditEntry entry : entries) {
            // A gap means the chain is already broken here: removing across it would hide that.
            if (entry.seq() != expected || entry.seq() >= headSeq || !expired(entry, cutoff, heldUserIds)) {
                break;
            }
            through = entry.seq();
            expected++;
        }
        return through;
    }

    /** The order is the chain's, not the clock's: an entry newer than the cutoff ends the prefix even if later ones are older. */
    static boolean expired(AuditEntry entry, Instant cutoff, Set<String> heldUserIds) {
        return entry.at() != null && entry.at().isBefore(cutoff)
                && !names(heldUserIds, entry.actorId()) && !names(heldUserIds, entry.targetId());
    }

    // Set.of(...).contains(null) throws: entries without an actor or target name nobody.
    private static boolean names(Set<String> heldUserIds, String id) {
        return id != null && heldUserIds.contains(id);
    }
}
