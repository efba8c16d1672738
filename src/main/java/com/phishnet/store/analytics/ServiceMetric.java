package com.phishnet.store.analytics;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The measurements each instance writes into {@code system_metrics}, by their stored name. A name is part of the
 * metrics API: renaming one orphans its stored series.
 */
public enum ServiceMetric {

    /** Requests per second, per route group ({@code group}). */
    HTTP_REQUESTS_RATE("http.requests.rate", "requests/s"),
    /** Mean latency of the interval, with p50/p95/p99 and max, per route group ({@code group}). */
    HTTP_REQUESTS_LATENCY("http.requests.latency", "ms"),
    /** MongoDB commands per second, over every command. */
    MONGODB_COMMANDS_RATE("mongodb.commands.rate", "commands/s"),
    /** Mean MongoDB command latency of the interval, with p50/p95/p99 and max. */
    MONGODB_COMMANDS_LATENCY("mongodb.commands.latency", "ms"),
    /** Connections in the driver's pools, summed over the servers. */
    MONGODB_POOL_SIZE("mongodb.pool.size", "connections"),
    /** Connections in use. */
    MONGODB_POOL_CHECKED_OUT("mongodb.pool.checkedout", "connections"),
    /** Operations waiting for a connection. */
    MONGODB_POOL_WAIT_QUEUE("mongodb.pool.waitqueue", "operations"),
    /**
     * Hits among the cache reads Redis answered in the interval (hits and misses), per cache ({@code cache}); calls
     * that failed or that the open breaker bypassed are not reads Redis answered (Prometheus counts them).
     */
    CACHE_HIT_RATIO("cache.hit.ratio", "ratio"),
    /** Scans ingested in the interval, per verdict ({@code verdict}). */
    SCANS_INGESTED("scans.ingested", "scans"),
    /** Open event-stream subscribers, per stream ({@code stream}). */
    STREAM_SUBSCRIBERS("streams.subscribers", "subscribers");

    private final String storedName;
    private final String unit;

    ServiceMetric(String storedName, String unit) {
        this.storedName = storedName;
        this.unit = unit;
    }

    public String storedName() {
        return storedName;
    }

    public String unit() {
        return unit;
    }

    public static Optional<ServiceMetric> byStoredName(String name) {
        return Arrays.stream(values()).filter(metric -> metric.storedName.equals(name)).findFirst();
    }

    public static List<String> storedNames() {
        return Arrays.stream(values()).map(ServiceMetric::storedName).toList();
    }
}
