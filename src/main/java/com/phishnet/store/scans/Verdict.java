package com.phishnet.store.scans;

public enum Verdict {
    CLEAN, SUSPICIOUS, MALICIOUS
}
