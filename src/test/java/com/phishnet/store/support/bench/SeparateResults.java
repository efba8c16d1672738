package com.phishnet.store.support.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The results files of the benchmarks that run on their own (SSE fan-out, backup), next to {@code results.json}:
 * the one-command benchmark's slots point at them and carry their content when they exist.
 */
public final class SeparateResults {

    public static final String STREAM_FAN_OUT = "stream-fanout.json";
    public static final String BACKUP = "backup.json";

    private SeparateResults() {
    }

    /** Where results go: {@code benchmark.output}, {@code target/benchmark} by default. */
    public static Path directory() {
        return Path.of(System.getProperty("benchmark.output", "target/benchmark"));
    }

    /** Writes {@code file} with when, where and what: the benchmark's name, the machine, and its figures. */
    public static Path write(String file, String benchmark, Instant started, Map<String, ?> figures) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("benchmark", benchmark);
        content.put("startedAt", started.toString());
        content.put("finishedAt", Instant.now().toString());
        content.put("machine", MachineFacts.ofThisJvm());
        content.putAll(figures);
        return BenchmarkReport.writeTree(content, directory().resolve(file));
    }
}
