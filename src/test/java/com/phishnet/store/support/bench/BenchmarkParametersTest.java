package com.phishnet.store.support.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class BenchmarkParametersTest {

    @Test
    void theDefaultsMeasureTheIssuesConcurrencyAndLeaveAMinuteOfFiveForStartUpAndSeeding() {
        BenchmarkParameters defaults = BenchmarkParameters.from(new Properties());

        assertThat(defaults.concurrency()).containsExactly(1, 16, 64, 256);
        assertThat(defaults.readsDepth()).isEqualTo(10_000);
        assertThat(defaults.sections()).containsExactlyInAnyOrderElementsOf(BenchmarkParameters.SECTIONS);
        assertThat(defaults.plannedSeconds()).isLessThanOrEqualTo(240);
    }

    @Test
    void readsEveryKnobFromItsProperty() {
        Properties properties = new Properties();
        properties.setProperty("benchmark.warmup", "PT3S");
        properties.setProperty("benchmark.duration", "30s");
        properties.setProperty("benchmark.concurrency", "1, 32");
        properties.setProperty("benchmark.rates", "100,1_000");
        properties.setProperty("benchmark.reads.depth", "2000");
        properties.setProperty("benchmark.reads.page-size", "100");
        properties.setProperty("benchmark.sections", "ingestion");
        properties.setProperty("benchmark.timeout", "500ms");

        BenchmarkParameters parameters = BenchmarkParameters.from(properties);

        assertThat(parameters.warmup()).isEqualTo(Duration.ofSeconds(3));
        assertThat(parameters.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(parameters.concurrency()).containsExactly(1, 32);
        assertThat(parameters.rates()).containsExactly(100.0, 1000.0);
        assertThat(parameters.readsDepth()).isEqualTo(2000);
        assertThat(parameters.runs("ingestion")).isTrue();
        assertThat(parameters.runs("reads")).isFalse();
        assertThat(parameters.timeout()).isEqualTo(Duration.ofMillis(500));
        // Both sides at 2 levels and 2 rates, and one bulk ingestion row per batch size.
        assertThat(parameters.measurements()).isEqualTo(2 * 2 + 2 * 2 + 2);
        assertThat(parameters.plannedSeconds()).isEqualTo(10 * 33 + 2 * 5);
    }

    /** Two seconds of arrivals by default: 440 calls at the seeds' 220/s, 20,000 at 10,000/s; never under 64. */
    @Test
    void theSaturationCapIsABacklogInTimeAtTheRate() {
        BenchmarkParameters defaults = BenchmarkParameters.from(new Properties());

        assertThat(defaults.maxBacklog()).isEqualTo(Duration.ofSeconds(2));
        assertThat(defaults.maxOutstanding(220)).isEqualTo(440);
        assertThat(defaults.maxOutstanding(2_200)).isEqualTo(4_400);
        assertThat(defaults.maxOutstanding(10_000)).isEqualTo(20_000);
        assertThat(defaults.maxOutstanding(10)).isEqualTo(BenchmarkParameters.MIN_OUTSTANDING);
        assertThat(defaults.maxOutstanding(32)).isEqualTo(64);
        assertThat(defaults.maxOutstanding(33)).isEqualTo(66);
        // Rounded up: 33.3 calls/s for 2 s is 66.6 calls.
        assertThat(defaults.maxOutstanding(33.3)).isEqualTo(67);
        assertThat(defaults.maxOutstanding(1e12)).isEqualTo(Integer.MAX_VALUE);

        Properties properties = new Properties();
        properties.setProperty("benchmark.max-backlog", "500ms");
        BenchmarkParameters shorter = BenchmarkParameters.from(properties);
        assertThat(shorter.maxOutstanding(1_000)).isEqualTo(500);
        assertThat(shorter.maxOutstanding(220)).isEqualTo(110);
        assertThat(shorter.asMap()).containsEntry("maxBacklog", "PT0.5S");
    }

    @Test
    void noRatesMeansNoOpenModelRuns() {
        Properties properties = new Properties();
        properties.setProperty("benchmark.rates", "");

        assertThat(BenchmarkParameters.from(properties).rates()).isEmpty();
    }

    @Test
    void durationsReadAsPeopleWriteThem() {
        assertThat(BenchmarkParameters.parseDuration("5")).isEqualTo(Duration.ofSeconds(5));
        assertThat(BenchmarkParameters.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(BenchmarkParameters.parseDuration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(BenchmarkParameters.parseDuration("pt10s")).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void nonsenseIsRefusedNamingTheProperty() {
        for (List<String> bad : List.of(List.of("benchmark.duration", "soon"), List.of("benchmark.concurrency", "0"),
                List.of("benchmark.rates", "-5"), List.of("benchmark.reads.depth", "125"), List.of("benchmark.reads.depth", "0"),
                List.of("benchmark.max-backlog", "0s"),
                List.of("benchmark.sections", "everything"))) {
            Properties properties = new Properties();
            properties.setProperty(bad.get(0), bad.get(1));
            assertThatThrownBy(() -> BenchmarkParameters.from(properties)).as(bad.toString())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad.get(0));
        }
    }
}
