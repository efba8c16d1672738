package com.phishnet.store.scans;

import java.time.Instant;

/**
 * Which of a tenant's feedback a list shows: of one scan, of one analyst, given in [from, to) (by creation
 * time); any of them may be null. The tenant is never part of the filter: it comes from the caller.
 */
public record FeedbackFilter(String scanId, String analystId, Instant from, Instant to) {

    /** Binds a cursor to the filter it was issued for. */
    String fingerprint() {
        return "s=" + scanId + ";a=" + analystId + ";f=" + (from == null ? null : from.toEpochMilli()) + ";t="
                + (to == null ? null : to.toEpochMilli());
    }
}
