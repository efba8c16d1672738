package com.phishnet.store.analytics;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/** A validated metrics API query: one metric over [from, to) in buckets of one granularity, optionally one instance. */
record MetricsQuery(ServiceMetric metric, Instant from, Instant to, Granularity granularity, String instance) {

    /** Bucket sizes the API offers, by their parameter spelling; each is a {@code $dateTrunc} unit and bin size. */
    enum Granularity {
        MINUTE("1m", "minute", 1, Duration.ofMinutes(1)),
        FIVE_MINUTES("5m", "minute", 5, Duration.ofMinutes(5)),
        FIFTEEN_MINUTES("15m", "minute", 15, Duration.ofMinutes(15)),
        HOUR("1h", "hour", 1, Duration.ofHours(1)),
        SIX_HOURS("6h", "hour", 6, Duration.ofHours(6)),
        DAY("1d", "day", 1, Duration.ofDays(1));

        private final String parameter;
        private final String unit;
        private final int binSize;
        private final Duration length;

        Granularity(String parameter, String unit, int binSize, Duration length) {
            this.parameter = parameter;
            this.unit = unit;
            this.binSize = binSize;
            this.length = length;
        }

        String parameter() {
            return parameter;
        }

        String unit() {
            return unit;
        }

        int binSize() {
            return binSize;
        }

        Duration length() {
            return length;
        }

        static Optional<Granularity> byParameter(String parameter) {
            return Arrays.stream(values()).filter(granularity -> granularity.parameter.equals(parameter)).findFirst();
        }

        /** Buckets [from, to) touches, counting the partial ones at both ends. */
        long bucketsBetween(Instant from, Instant to) {
            return Duration.between(from, to).toMillis() / length.toMillis() + 2;
        }
    }
}
