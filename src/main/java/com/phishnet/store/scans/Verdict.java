package com.phishnet.store.scans;

public enum Verdict {
    CLEAN, SUSPICIOUS, MALICIOUS;

    /** The statistics counter this verdict increments. */
    public String counter() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
