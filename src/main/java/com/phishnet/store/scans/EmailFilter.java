package com.phishnet.store.scans;

import java.time.Instant;
import java.util.Locale;

/**
 * Filters of an email list; every field optional. {@code text} searches subject and sender; {@code sha256} is the
 * message's content hash as the scanner sent it (hex, compared in lower case).
 */
public record EmailFilter(String sender, String recipient, String text, Instant from, Instant to, String sha256) {

    public EmailFilter {
        sender = sender == null ? null : sender.trim().toLowerCase(Locale.ROOT);
        recipient = recipient == null ? null : recipient.trim().toLowerCase(Locale.ROOT);
        sha256 = sha256 == null ? null : sha256.toLowerCase(Locale.ROOT);
    }

    public EmailFilter(String sender, String recipient, String text, Instant from, Instant to) {
        this(sender, recipient, text, from, to, null);
    }

    String fingerprint() {
        return "s=" + sender + ";r=" + recipient + ";q=" + text + ";f=" + (from == null ? null : from.toEpochMilli())
                + ";t=" + (to == null ? null : to.toEpochMilli())
                // Only when asked for, so cursors issued before the parameter existed stay valid.
                + (sha256 == null ? "" : ";h=" + sha256);
    }
}
