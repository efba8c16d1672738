package com.phishnet.store.scans;

/** Declared from least to most severe: a correction to a later constant raises the verdict. */
public enum Verdict {
    CLEAN, SUSPICIOUS, MALICIOUS;

    /** Whether this verdict is more severe than {@code other}. */
    public boolean isAbove(Verdict other) {
        return compareTo(other) > 0;
    }
}
