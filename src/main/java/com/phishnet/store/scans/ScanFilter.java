package com.phishnet.store.scans;

import java.time.Instant;
import java.util.Locale;

/**
 * Filters of a scan list; every field optional. Time range is [from, to). {@code messageId} asks for the scans of
 * one message; the service resolves it to the message's email, {@code emailId}, which is what the query matches.
 */
public record ScanFilter(Verdict verdict, Double minScore, Double maxScore, String sender, String userId,
        Instant from, Instant to, String messageId, String emailId) {

    /** Matches no scan: stored email ids are never empty. For a message the tenant has no email of. */
    static final String NO_EMAIL = "";

    public ScanFilter {
        sender = sender == null ? null : sender.trim().toLowerCase(Locale.ROOT);
    }

    public ScanFilter(Verdict verdict, Double minScore, Double maxScore, String sender, String userId, Instant from,
            Instant to) {
        this(verdict, minScore, maxScore, sender, userId, from, to, null, null);
    }

    ScanFilter withUser(String user) {
        return new ScanFilter(verdict, minScore, maxScore, sender, user, from, to, messageId, emailId);
    }

    ScanFilter withEmailId(String id) {
        return new ScanFilter(verdict, minScore, maxScore, sender, userId, from, to, messageId, id);
    }

    /** A stable description, bound into keyset cursors so one cannot be replayed against other filters. */
    String fingerprint() {
        return "v=" + verdict + ";min=" + minScore + ";max=" + maxScore + ";s=" + sender + ";u=" + userId
                + ";f=" + (from == null ? null : from.toEpochMilli()) + ";t=" + (to == null ? null : to.toEpochMilli())
                // Only when asked for, so cursors issued before the parameter existed stay valid.
                + (messageId == null ? "" : ";m=" + messageId);
    }
}
