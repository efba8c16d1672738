package com.phishnet.store.analytics;

/** Stored names of the {@code system_metrics} time-series collection. */
public final class MetricFields {

    public static final String COLLECTION = "system_metrics";

    /** The time-series time field. */
    public static final String TIMESTAMP = "timestamp";
    /** The time-series meta field: {@code {name, instance}}; buckets are grouped by it. */
    public static final String META = "meta";
    public static final String META_NAME = "meta.name";
    public static final String META_INSTANCE = "meta.instance";
    public static final String VALUE = "value";

    private MetricFields() {
    }
}
