package com.phishnet.store.scans;

import java.time.Instant;
import java.util.Locale;

/** Filters of an email list; every field optional. {@code text} searches subject and sender. */
public record EmailFilter(String sender, String recipient, String text, Instant from, Instant to) {

    public EmailFilter {
        sender = sender == null ? null : sender.trim().toLowerCase(Locale.ROOT);
        recipient = recipient == null ? null : recipient.trim().toLowerCase(Locale.ROOT);
    }

    String fingerprint() {
        return "s=" + sender + ";r=" + recipient + ";q=" + text + ";f=" + (from == null ? null : from.toEpochMilli())
                + ";t=" + (to == null ? null : to.toEpochMilli());
    }
}
