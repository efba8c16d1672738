package com.phishnet.store.retention;

/**
 * The kinds of data a retention policy expires, each in its collection. {@link #SYSTEM_METRICS} expires by the
 * time-series collection's own {@code expireAfterSeconds}: shown, never overridden.
 */
public enum RetainedData {
    EMAILS_META("emails_meta", true),
    SCAN_RESULTS("scan_results", true),
    FEEDBACK("feedback", true),
    AUDIT_LOGS("audit_logs", true),
    JOBS("jobs", true),
    SYSTEM_METRICS("system_metrics", false);

    private final String collection;
    private final boolean overridable;

    RetainedData(String collection, boolean overridable) {
        this.collection = collection;
        this.overridable = overridable;
    }

    public String collection() {
        return collection;
    }

    public boolean overridable() {
        return overridable;
    }
}
