package com.phishnet.store.analytics;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One figure of one interval, as stored in {@code system_metrics}: its value, and for latencies the percentiles
 * and the maximum (null where not recorded). Tags are sorted so equal tags always render to the same meta
 * document, which is what the time-series collection buckets by.
 */
record Measurement(ServiceMetric metric, SortedMap<String, String> tags, double value, Double p50, Double p95,
        Double p99, Double max) {

    Measurement {
        tags = new TreeMap<>(tags);
    }

    static Measurement of(ServiceMetric metric, Map<String, String> tags, double value) {
        return new Measurement(metric, new TreeMap<>(tags), value, null, null, null, null);
    }
}
