package com.phishnet.store.support.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Batches counted in scans, and the level they are compared at. */
class BatchThroughputTest {

    @Test
    void aMeasurementOfBatchesCountsTheScansTheyCarriedOverTheSameSeconds() {
        Measurement batches = closed(16, 40, 2, 8.0, 250.0);

        Measurement scans = BatchThroughput.perItem(batches, 100);

        assertThat(scans.completed()).isEqualTo(4000);
        assertThat(scans.errors()).isEqualTo(200);
        assertThat(scans.seconds()).isEqualTo(8.0);
        assertThat(scans.throughput()).isEqualTo(500.0);
        // A batch's latency is not divided among its scans.
        assertThat(scans.latency()).isSameAs(batches.latency());
    }

    @Test
    void theRatioIsScansPerSecondInBatchesOverScansPerSecondInSingleRequests() {
        Measurement batches = closed(16, 10, 0, 5.0, 900.0);   // 10 batches of 1000 in 5 s: 2,000 scans/s
        Measurement singles = closed(16, 4000, 0, 4.0, 15.0);  // 1,000 scans/s

        assertThat(BatchThroughput.ratio(batches, 1000, singles)).hasValue(2.0);
    }

    @Test
    void thereIsNoRatioWhenEitherSideCompletedNothing() {
        Measurement none = closed(16, 0, 5, 5.0, 0);
        Measurement singles = closed(16, 4000, 0, 4.0, 15.0);

        assertThat(BatchThroughput.ratio(none, 100, singles)).isEmpty();
        assertThat(BatchThroughput.ratio(closed(16, 10, 0, 5.0, 900.0), 100, none)).isEmpty();
    }

    @Test
    void aRowOfBatchesInScansComparesWithSingleRequestsInTheResultsFile() {
        Measurement batches = closed(16, 10, 0, 5.0, 900.0);
        Measurement singles = closed(16, 4000, 0, 4.0, 15.0);

        BenchmarkResults.Row row = BenchmarkResults.Row.compared("POST /api/v1/scans:batch ×1000 (scans/s)",
                "service (HTTP)", BatchThroughput.perItem(batches, 1000), singles, "single requests");

        assertThat(row.operations()).isEqualTo(10_000);
        assertThat(row.throughputPerSecond()).isEqualTo(2000.0);
        assertThat(row.ratio()).isEqualTo(2.0);
        assertThat(row.ratioBasis()).isEqualTo("throughput");
        assertThat(row.comparedWith()).isEqualTo("single requests");
    }

    @Test
    void batchesAreMeasuredAtTheLargestLevelNotAboveTheOnePreferred() {
        assertThat(BatchThroughput.comparableLevel(List.of(1, 16, 64, 256), 16)).isEqualTo(16);
        assertThat(BatchThroughput.comparableLevel(List.of(1, 8, 64), 16)).isEqualTo(8);
        assertThat(BatchThroughput.comparableLevel(List.of(32, 64), 16)).isEqualTo(32);
    }

    @Test
    void aBatchCarriesAtLeastOneItem() {
        assertThatThrownBy(() -> BatchThroughput.perItem(closed(1, 1, 0, 1.0, 1.0), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Measurement closed(int workers, long completed, long errors, double seconds, double meanMillis) {
        LatencyRecorder recorder = new LatencyRecorder();
        for (long i = 0; i < completed; i++) {
            recorder.record((long) (meanMillis * 1_000_000));
        }
        return new Measurement(LoadModel.CLOSED, workers, 0, completed, errors, 0, false, seconds, recorder.summary(),
                errors > 0 ? "boom" : null);
    }
}
