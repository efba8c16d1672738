package com.phishnet.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.phishnet.store.support.MeterCatalog;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * The shipped {@code management.metrics} settings, applied as Boot applies them, give Prometheus what the
 * dashboard and docs/performance.md rely on: latency histograms for HTTP requests and MongoDB commands within the
 * configured range, none for the in-flight request timer, and the application tag on every series.
 */
class MetricsConfigTest {

    private final PrometheusMeterRegistry registry = MeterCatalog.everyMeter();
    private final String scrape = registry.scrape();

    @Test
    void httpRequestsAndMongoCommandsPublishHistogramBuckets() {
        assertThat(MeterCatalog.sampleNames(registry))
                .contains("http_server_requests_seconds_bucket", "mongodb_driver_commands_seconds_bucket");
    }

    @Test
    void theInFlightRequestTimerPublishesNoBuckets() {
        assertThat(MeterCatalog.sampleNames(registry)).contains("http_server_requests_active_seconds_count")
                .doesNotContain("http_server_requests_active_seconds_bucket");
    }

    @Test
    void bucketsSpanOneMillisecondToTenSeconds() {
        for (String histogram : List.of("http_server_requests_seconds_bucket", "mongodb_driver_commands_seconds_bucket")) {
            double[] bounds = bounds(histogram);
            assertThat(bounds).as(histogram).isNotEmpty();
            assertThat(bounds[0]).as(histogram).isGreaterThanOrEqualTo(0.001);
            assertThat(bounds[bounds.length - 1]).as(histogram).isLessThanOrEqualTo(10.0);
            assertThat(scrape).contains(histogram + "{").contains("le=\"+Inf\"");
        }
    }

    @Test
    void everySeriesCarriesTheApplicationTag() {
        assertThat(scrape.lines().filter(line -> !line.startsWith("#") && !line.isBlank()))
                .allSatisfy(line -> assertThat(line).contains("application=\"phishnet-store\""));
    }

    /** The finite {@code le} bounds of one histogram's series, ascending. */
    private double[] bounds(String histogram) {
        return scrape.lines()
                .filter(line -> line.startsWith(histogram + "{"))
                .map(line -> line.replaceAll(".*le=\"([^\"]+)\".*", "$1"))
                .filter(le -> !le.equals("+Inf"))
                .mapToDouble(Double::parseDouble)
                .distinct().sorted().toArray();
    }

}
