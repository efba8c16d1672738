package com.phishnet.store.support.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Properties;

import com.phishnet.store.support.bench.BenchmarkResults.Row;
import com.phishnet.store.support.bench.BenchmarkResults.Section;
import com.phishnet.store.support.bench.BenchmarkResults.Slot;
import com.phishnet.store.support.bench.BenchmarkResults.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class BenchmarkReportTest {

    @TempDir
    Path directory;

    private final Measurement service = new Measurement(LoadModel.CLOSED, 16, 0, 4_000, 2, 0, false, 4.0,
            new LatencySummary(4_000, 3_900_000, 3_500_000, 7_000_000, 9_000_000, 12_000_000, 15_000_000),
            "WebClientResponseException: 503 Service Unavailable");
    private final Measurement raw = new Measurement(LoadModel.CLOSED, 16, 0, 5_000, 0, 0, false, 4.0,
            new LatencySummary(5_000, 3_100_000, 3_000_000, 5_000_000, 6_000_000, 8_000_000, 9_000_000), null);
    private final Measurement saturated = new Measurement(LoadModel.OPEN, 0, 2200, 700, 0, 8_100, true, 1.2,
            new LatencySummary(700, 250_000_000, 240_000_000, 400_000_000, 450_000_000, 480_000_000, 500_000_000), null);
    private final Measurement openRaw = new Measurement(LoadModel.OPEN, 0, 2200, 8_800, 0, 0, false, 4.0,
            new LatencySummary(8_800, 2_000_000, 1_900_000, 3_000_000, 4_000_000, 6_000_000, 9_000_000), null);
    private final Measurement empty = new Measurement(LoadModel.OPEN, 0, 220, 0, 880, 0, false, 0,
            LatencySummary.EMPTY, "ConnectException: refused");

    @Test
    void resultsJsonHoldsTheMachineTheVersionsTheParametersAndEachFigureWithItsRatio() {
        Path written = BenchmarkReport.writeJson(results(), directory);

        assertThat(written).isEqualTo(directory.resolve("results.json"));
        JsonNode json = JsonMapper.builder().build().readTree(written.toFile());
        assertThat(json.get("benchmark").asString()).isEqualTo("PhishNet Store side by side");
        assertThat(json.get("machine").get("cores").asInt()).isEqualTo(2);
        assertThat(json.get("elapsedSeconds").asDouble()).isEqualTo(277.25);
        assertThat(json.get("mongo").asString()).isEqualTo("mongod at /usr/bin/mongod, data in /tmp/phishnet-it-mongod1");
        assertThat(json.get("machine").get("cpu").asString()).isEqualTo("Test CPU");
        assertThat(json.get("versions").get("mongoDriver").asString()).isEqualTo("5.8.1");
        assertThat(json.get("parameters").get("concurrency").isArray()).isTrue();
        assertThat(json.get("parameters").get("concurrency").get(3).asInt()).isEqualTo(256);

        JsonNode rows = json.get("sections").get(0).get("rows");
        assertThat(json.get("sections").get(0).get("name").asString()).isEqualTo("ingestion");
        assertThat(rows.size()).isEqualTo(4);
        JsonNode http = rows.get(0);
        assertThat(http.get("path").asString()).isEqualTo("POST /api/v1/scans");
        assertThat(http.get("model").asString()).isEqualTo("closed");
        assertThat(http.get("concurrency").asInt()).isEqualTo(16);
        assertThat(http.get("ratePerSecond").isNull()).isTrue();
        assertThat(http.get("operations").asLong()).isEqualTo(4_000);
        assertThat(http.get("errors").asLong()).isEqualTo(2);
        assertThat(http.get("throughputPerSecond").asDouble()).isEqualTo(1000.0);
        assertThat(http.get("latencyMs").get("p50").asDouble()).isEqualTo(3.5);
        assertThat(http.get("latencyMs").get("p99").asDouble()).isEqualTo(9.0);
        assertThat(http.get("latencyMs").get("p999").asDouble()).isEqualTo(12.0);
        assertThat(http.get("ratio").asDouble()).isEqualTo(0.8);
        assertThat(http.get("ratioBasis").asString()).isEqualTo("throughput");
        assertThat(http.get("comparedWith").asString()).isEqualTo("raw driver");
        assertThat(http.get("firstError").asString()).startsWith("WebClientResponseException");

        JsonNode open = rows.get(2);
        assertThat(open.get("model").asString()).isEqualTo("open");
        assertThat(open.get("ratio").isNull()).isTrue();
        assertThat(open.get("ratioBasis").asString()).isEqualTo("mean latency");
        assertThat(open.get("notCompared").asString()).isEqualTo("saturated: this side");
        assertThat(open.get("concurrency").isNull()).isTrue();
        assertThat(open.get("ratePerSecond").asDouble()).isEqualTo(2200.0);
        assertThat(open.get("saturated").asBoolean()).isTrue();
        assertThat(open.get("unsent").asLong()).isEqualTo(8_100);

        JsonNode nothing = rows.get(3);
        assertThat(nothing.get("latencyMs").isNull()).isTrue();
        assertThat(nothing.get("ratio").isNull()).isTrue();
        assertThat(nothing.get("throughputPerSecond").asDouble()).isZero();

        JsonNode target = json.get("targets").get(0);
        assertThat(target.get("value").asDouble()).isEqualTo(0.8);
        assertThat(target.get("met").asBoolean()).isTrue();
        assertThat(json.get("targets").get(1).get("met").isNull()).isTrue();
        assertThat(json.get("slots").get("sseFanOut").get("status").asString()).isEqualTo("separate");
        assertThat(json.get("slots").get("sseFanOut").get("latest").isNull()).isTrue();
        assertThat(json.get("slots").get("backup").get("latest").get("rows").get(0).asString()).isEqualTo("r");
    }

    @Test
    void rewritingReplacesTheEarlierResults() throws Exception {
        BenchmarkReport.writeJson(results(), directory);
        BenchmarkReport.writeJson(results(), directory);

        try (var files = Files.list(directory)) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactly("results.json");
        }
    }

    @Test
    void theMarkdownReportHasATablePerLoadModelAndSaysWhichTargetsWereMissed() {
        String markdown = BenchmarkReport.markdown(results());

        assertThat(markdown).contains("### Scan ingestion");
        assertThat(markdown).contains("Closed loop (throughput; latency from each call's start):");
        assertThat(markdown).contains("Open model (fixed arrival rate; latency from each call's intended start):");
        assertThat(markdown).contains("| POST /api/v1/scans | service | 16 | 4,000 | 2 | 1,000 | 3.90 | 3.50 | 7.00 | 9.00 | 12.00 | 15.00 | 0.80× |");
        assertThat(markdown).contains("SATURATED: stopped sending, 8,100 calls unsent");
        assertThat(markdown).contains("| saturated | mean latency vs raw driver: no ratio, saturated: this side;");
        assertThat(markdown).contains("MongoDB from mongod at /usr/bin/mongod, data in /tmp/phishnet-it-mongod1.");
        assertThat(markdown).contains("| ingestion at 16 workers | throughput vs raw driver | 0.80 × raw | ≥ 0.8 | met |");
        assertThat(markdown).contains("| hit vs miss | mean latency | n/a | ≥ 5 | n/a |");
        assertThat(markdown).contains("| sseFanOut | separate | `./mvnw -Pbenchmark verify -Dtest=StreamFanOutBenchmark` | none yet");
    }

    /** The open model's mean-latency ratio only between two runs that both kept the rate. */
    @Test
    void aRunThatSaturatedOnEitherSideHasNoRatioAndSaysSo() {
        Measurement service = open(false, 4_000_000);
        Measurement raw = open(false, 2_000_000);
        Measurement serviceSaturated = open(true, 4_000_000);
        Measurement rawSaturated = open(true, 2_000_000);

        Row kept = Row.compared("p", "service", service, raw, "raw driver");
        assertThat(kept.ratio()).isEqualTo(0.5);
        assertThat(kept.ratioBasis()).isEqualTo("mean latency");
        assertThat(kept.notCompared()).isNull();

        for (Row row : List.of(Row.compared("p", "service", serviceSaturated, raw, "raw driver"),
                Row.compared("p", "service", service, rawSaturated, "raw driver"),
                Row.compared("p", "service", serviceSaturated, rawSaturated, "raw driver"))) {
            assertThat(row.ratio()).isNull();
            assertThat(row.comparedWith()).isEqualTo("raw driver");
            assertThat(row.notCompared()).startsWith("saturated");
        }
        assertThat(Row.compared("p", "service", service, rawSaturated, "raw driver").notCompared())
                .isEqualTo("saturated: raw driver");
        assertThat(Row.compared("p", "service", serviceSaturated, rawSaturated, "raw driver").notCompared())
                .isEqualTo("saturated: both sides");
        assertThat(Row.compared("p", "service", service, rawSaturated, "raw driver").saturated()).isFalse();
    }

    @Test
    void aClosedLoopIsComparedByThroughput() {
        Row row = Row.compared("p", "service", service, raw, "raw driver");

        assertThat(row.ratio()).isEqualTo(0.8);
        assertThat(row.ratioBasis()).isEqualTo("throughput");
        assertThat(row.notCompared()).isNull();
    }

    @Test
    void theElapsedTimeReadsInMinutesAndSeconds() {
        assertThat(BenchmarkReport.elapsed(277.25, java.time.Duration.ofMillis(250_040))).isEqualTo("Elapsed: 4 min"
                + " 37.3 s since the test JVM started (start-up, seeding and measuring; Maven's build before it not"
                + " included), of which 4 min 10.0 s seeding and measuring.");
        assertThat(BenchmarkReport.clock(12.04)).isEqualTo("12.0 s");
        assertThat(BenchmarkReport.clock(59.97)).isEqualTo("1 min 00.0 s");
    }

    private static Measurement open(boolean saturated, long meanNanos) {
        return new Measurement(LoadModel.OPEN, 0, 2200, 8_000, 0, saturated ? 800 : 0, saturated, 4.0,
                new LatencySummary(8_000, meanNanos, meanNanos, meanNanos, meanNanos, meanNanos, meanNanos), null);
    }

    private BenchmarkResults results() {
        OptionalDouble ratio = Ratio.throughput(service, raw);
        List<Row> rows = List.of(
                Row.of("POST /api/v1/scans", "service", service).withRatio(ratio, "throughput", "raw driver"),
                Row.of("same transaction", "raw driver", raw),
                Row.compared("POST /api/v1/scans", "service", saturated, openRaw, "raw driver"),
                Row.of("POST /api/v1/scans", "service", empty).withRatio(Ratio.meanLatency(empty, raw), "mean latency",
                        "raw driver"));
        Map<String, Slot> slots = new LinkedHashMap<>();
        slots.put("sseFanOut", new Slot("separate", "./mvnw -Pbenchmark verify -Dtest=StreamFanOutBenchmark",
                "10,000 subscribers", "target/benchmark/stream-fanout.json", null));
        slots.put("backup", new Slot("separate", "./mvnw -Pbenchmark verify -Dtest=BackupBenchmark", null,
                "target/benchmark/backup.json", Map.of("rows", List.of("r"))));
        return new BenchmarkResults("PhishNet Store side by side", "2026-12-07T10:00:00Z", "2026-12-07T10:04:00Z",
                277.25,
                new MachineFacts(2, 5_000, 23_000, "Linux 6.1 (amd64)", "Test CPU", "Eclipse Adoptium 17.0.15", "1048576"),
                "mongod at /usr/bin/mongod, data in /tmp/phishnet-it-mongod1", Map.of("mongoDriver", "5.8.1"), BenchmarkParameters.from(new Properties()).asMap(),
                List.of(new Section("ingestion", "Scan ingestion", "the 4-write transaction", rows)),
                List.of(Target.of("ingestion at 16 workers", "throughput vs raw driver", ratio, "× raw", "≥ 0.8",
                                Ratio.atLeast(ratio, 0.8), null),
                        Target.of("hit vs miss", "mean latency", OptionalDouble.empty(), "×", "≥ 5", null, "no Redis")),
                slots, List.of("a note"));
    }
}
