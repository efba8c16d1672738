package com.phishnet.store.support.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void percentilesOfOneToAThousandMillisecondsAreThoseValuesWithinThreeSignificantDigits() {
        LatencyRecorder recorder = new LatencyRecorder();
        for (long millis = 1; millis <= 1000; millis++) {
            recorder.record(millis * MS);
        }

        LatencySummary summary = recorder.summary();

        assertThat(summary.count()).isEqualTo(1000);
        assertThat(summary.p50Millis()).isCloseTo(500, precision(500));
        assertThat(summary.p95Millis()).isCloseTo(950, precision(950));
        assertThat(summary.p99Millis()).isCloseTo(990, precision(990));
        assertThat(summary.p999Millis()).isCloseTo(999, precision(999));
        assertThat(summary.maxMillis()).isCloseTo(1000, precision(1000));
        assertThat(summary.meanMillis()).isCloseTo(500.5, precision(500.5));
    }

    @Test
    void aSingleValueIsEveryPercentile() {
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.record(2_500_000);

        LatencySummary summary = recorder.summary();

        assertThat(summary.p50Millis()).isCloseTo(2.5, precision(2.5));
        assertThat(summary.p999Millis()).isCloseTo(2.5, precision(2.5));
        assertThat(summary.maxMillis()).isCloseTo(2.5, precision(2.5));
    }

    @Test
    void nothingRecordedSummarisesAsEmpty() {
        assertThat(new LatencyRecorder().summary()).isSameAs(LatencySummary.EMPTY);
        assertThat(LatencySummary.EMPTY.isEmpty()).isTrue();
    }

    @Test
    void aLatencyBeyondTheTrackedRangeIsKeptAtItsEdgeAndCounted() {
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.record(LatencyRecorder.HIGHEST_NANOS * 3);
        recorder.record(-5);

        assertThat(recorder.count()).isEqualTo(2);
        assertThat(recorder.clamped()).isEqualTo(1);
        assertThat(recorder.summary().maxNanos()).isCloseTo(LatencyRecorder.HIGHEST_NANOS,
                within(LatencyRecorder.HIGHEST_NANOS / 1000));
    }

    @Test
    void recordingFromManyThreadsLosesNothing() {
        LatencyRecorder recorder = new LatencyRecorder();

        LongStream.range(0, 200_000).parallel().forEach(i -> recorder.record((i % 100 + 1) * MS));

        assertThat(recorder.count()).isEqualTo(200_000);
        assertThat(recorder.summary().p50Millis()).isCloseTo(50, precision(50));
    }

    /** HdrHistogram at 3 significant digits: within 0.1 %. */
    private static Offset<Double> precision(double value) {
        return within(value / 1000);
    }
}
