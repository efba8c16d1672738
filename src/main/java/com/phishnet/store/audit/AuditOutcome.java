package com.phishnet.store.audit;

public enum AuditOutcome {
    SUCCESS, FAILURE, DENIED
}
