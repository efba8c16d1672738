package com.phishnet.store.scans;

import java.time.Instant;
import java.util.Locale;

/** Filters of a scan list; every field optional. Time range is [from, to). */
public record ScanFilter(Verdict verdict, Double minScore, Double maxScore, String sender, String userId,
        Instant from, Instant to) {

    public ScanFilter {
        sender = sender == null ? null : sender.trim().toLowerCase(Locale.ROOT);
    }

    /** A stable description, bound into keyset cursors so one cannot be replayed against other filters. */
    String fingerprint() {
        return "v=" + verdict + ";min=" + minScore + ";max=" + maxScore + ";s=" + sender + ";u=" + userId
                + ";f=" + (from == null ? null : from.toEpochMilli()) + ";t=" + (to == null ? null : to.toEpochMilli());
    }
}
