package com.phishnet.store.analytics;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The service-metrics time series ({@code system_metrics}).
 *
 * @param enabled  whether this instance writes its measurements at all
 * @param interval how often it writes them; every write is one interval's rates, percentiles and gauges
 */
@Validated
@ConfigurationProperties("phishnet.metrics.series")
public record ServiceMetricsProperties(
        @DefaultValue("true") boolean enabled,
        @NotNull @DefaultValue("30s") Duration interval) {

    static final Duration SHORTEST_INTERVAL = Duration.ofSeconds(1);

    public ServiceMetricsProperties {
        if (interval != null && interval.compareTo(SHORTEST_INTERVAL) < 0) {
            throw new IllegalArgumentException("phishnet.metrics.series.interval must be at least 1s: " + interval);
        }
    }
}
