package com.phishnet.store.analytics;

/** Stored names of the {@code system_metrics} time-series collection. */
public final class MetricFields {

    public static final String COLLECTION = "system_metrics";

    /** The time-series time field. */
    public static final String TIMESTAMP = "timestamp";
    /** The time-series meta field: {@code {name, instance, tags}}; buckets are grouped by it. */
    public static final String META = "meta";
    public static final String NAME = "name";
    public static final String INSTANCE = "instance";
    public static final String TAGS = "tags";
    public static final String META_NAME = META + "." + NAME;
    public static final String META_INSTANCE = META + "." + INSTANCE;
    public static final String META_TAGS = META + "." + TAGS;
    public static final String VALUE = "value";
    public static final String P50 = "p50";
    public static final String P95 = "p95";
    public static final String P99 = "p99";
    public static final String MAX = "max";

    /** Serves the metrics API: one name over a time range. */
    public static final String BY_NAME_AND_TIME_INDEX = "system_metrics_name_timestamp";

    private MetricFields() {
    }
}
