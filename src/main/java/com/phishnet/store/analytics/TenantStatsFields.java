package com.phishnet.store.analytics;

/** Stored names of the {@code tenant_stats} collection: one document per tenant, {@code _id} = tenant id. */
public final class TenantStatsFields {

    public static final String COLLECTION = "tenant_stats";

    public static final String ID = "_id";
    public static final String TOTAL = "total";
    public static final String CLEAN = "clean";
    public static final String SUSPICIOUS = "suspicious";
    public static final String MALICIOUS = "malicious";
    public static final String FEEDBACK = "feedback";
    public static final String LAST_SCAN_AT = "lastScanAt";
    public static final String UPDATED_AT = "updatedAt";

    private TenantStatsFields() {
    }
}
