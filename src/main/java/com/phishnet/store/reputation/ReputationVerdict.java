package com.phishnet.store.reputation;

public enum ReputationVerdict {
    CLEAN, SUSPICIOUS, MALICIOUS, UNKNOWN
}
