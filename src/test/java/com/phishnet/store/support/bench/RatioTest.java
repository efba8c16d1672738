package com.phishnet.store.support.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

class RatioTest {

    @Test
    void aRatioIsTheQuotient() {
        assertThat(Ratio.of(800, 1000).getAsDouble()).isCloseTo(0.8, within(1e-12));
        assertThat(Ratio.of(0, 1000).getAsDouble()).isZero();
    }

    @Test
    void thereIsNoRatioToAZeroOrMissingBaseline() {
        assertThat(Ratio.of(800, 0)).isEmpty();
        assertThat(Ratio.of(800, -1)).isEmpty();
        assertThat(Ratio.of(Double.NaN, 1)).isEmpty();
        assertThat(Ratio.of(1, Double.NaN)).isEmpty();
        assertThat(Ratio.of(Double.POSITIVE_INFINITY, 1)).isEmpty();
        assertThat(Ratio.of(-1, 1)).isEmpty();
    }

    @Test
    void throughputIsComparedAsServiceOverBaseline() {
        Measurement service = closed(400, 2.0, 5_000_000);
        Measurement raw = closed(1000, 2.0, 2_000_000);

        assertThat(Ratio.throughput(service, raw).getAsDouble()).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void latencyIsComparedAsBaselineOverServiceSoMoreIsStillFaster() {
        Measurement service = closed(400, 2.0, 4_000_000);
        Measurement raw = closed(1000, 2.0, 1_000_000);

        assertThat(Ratio.meanLatency(service, raw).getAsDouble()).isCloseTo(0.25, within(1e-12));
        assertThat(Ratio.p99Latency(service, raw).getAsDouble()).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void aSideWithoutCompletedCallsHasNoRatio() {
        Measurement nothing = new Measurement(LoadModel.CLOSED, 16, 0, 0, 37, 0, false, 4.0, LatencySummary.EMPTY,
                "IOException: refused");
        Measurement raw = closed(1000, 2.0, 1_000_000);

        assertThat(Ratio.throughput(nothing, raw)).isEmpty();
        assertThat(Ratio.throughput(raw, nothing)).isEmpty();
        assertThat(Ratio.meanLatency(nothing, raw)).isEmpty();
        assertThat(Ratio.p99Latency(raw, nothing)).isEmpty();
    }

    @Test
    void aMissingRatioMeetsNoTargetAndPrintsAsNotApplicable() {
        assertThat(Ratio.atLeast(OptionalDouble.empty(), 0.8)).isNull();
        assertThat(Ratio.atLeast(OptionalDouble.of(0.79), 0.8)).isFalse();
        assertThat(Ratio.atLeast(OptionalDouble.of(0.8), 0.8)).isTrue();
        assertThat(Ratio.format(OptionalDouble.empty())).isEqualTo("n/a");
        assertThat(Ratio.format(OptionalDouble.of(0.8349))).isEqualTo("0.83×");
        assertThat(Ratio.json(OptionalDouble.empty())).isNull();
        assertThat(Ratio.json(OptionalDouble.of(2.0 / 3))).isEqualTo(0.6667);
    }

    private static Measurement closed(long completed, double seconds, long latencyNanos) {
        return new Measurement(LoadModel.CLOSED, 16, 0, completed, 0, 0, false, seconds,
                new LatencySummary(completed, latencyNanos, latencyNanos, latencyNanos, latencyNanos, latencyNanos,
                        latencyNanos), null);
    }
}
