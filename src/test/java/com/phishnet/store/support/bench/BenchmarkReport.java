package com.phishnet.store.support.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.phishnet.store.support.bench.BenchmarkResults.Row;
import com.phishnet.store.support.bench.BenchmarkResults.Section;
import com.phishnet.store.support.bench.BenchmarkResults.Slot;
import com.phishnet.store.support.bench.BenchmarkResults.Target;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Renders {@link BenchmarkResults} as Markdown for the console and writes them as {@code results.json}. */
public final class BenchmarkReport {

    public static final String RESULTS_FILE = "results.json";

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private BenchmarkReport() {
    }

    /** Writes {@code results.json} into {@code directory} (created if needed); the file written. */
    public static Path writeJson(BenchmarkResults results, Path directory) {
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve(RESULTS_FILE);
            Path partial = directory.resolve(RESULTS_FILE + ".partial");
            JSON.writeValue(partial.toFile(), results);
            Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return file;
        }
        catch (IOException failure) {
            throw new UncheckedIOException("cannot write the benchmark results into " + directory, failure);
        }
    }

    /** Any JSON file as a tree (another benchmark's results, for a slot); null when it is absent or unreadable. */
    public static JsonNode readTree(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return JSON.readTree(file.toFile());
        }
        catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** Writes a tree (a separate benchmark's results) as indented JSON. */
    public static Path writeTree(Object tree, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            JSON.writeValue(file.toFile(), tree);
            return file;
        }
        catch (IOException failure) {
            throw new UncheckedIOException("cannot write " + file, failure);
        }
    }

    public static String markdown(BenchmarkResults results) {
        StringBuilder out = new StringBuilder();
        out.append("## ").append(results.benchmark()).append("\n\n");
        MachineFacts machine = results.machine();
        out.append(String.format(Locale.ROOT, "%s, %d cores, %,d MiB memory, max heap %,d MiB, %s, %s.%n", machine.cpu(),
                machine.cores(), machine.physicalMemoryMiB(), machine.maxHeapMiB(), machine.os(), machine.jdk()));
        StringBuilder versions = new StringBuilder();
        results.versions().forEach((name, version) -> versions.append(versions.isEmpty() ? "" : ", ").append(name)
                .append(' ').append(version));
        out.append(versions).append(".\n");
        if (results.mongo() != null) {
            out.append("MongoDB from ").append(results.mongo()).append(".\n");
        }
        out.append("Parameters: ").append(results.parameters()).append("\n\n");
        for (Section section : results.sections()) {
            out.append("### ").append(section.title()).append("\n\n");
            if (section.note() != null) {
                out.append(section.note()).append("\n\n");
            }
            List<Row> closed = section.rows().stream().filter(row -> "closed".equals(row.model())).toList();
            List<Row> open = section.rows().stream().filter(row -> "open".equals(row.model())).toList();
            if (!closed.isEmpty()) {
                out.append("Closed loop (throughput; latency from each call's start):\n\n");
                out.append(table("workers", closed)).append('\n');
            }
            if (!open.isEmpty()) {
                out.append("Open model (fixed arrival rate; latency from each call's intended start):\n\n");
                out.append(table("rate/s", open)).append('\n');
            }
        }
        if (!results.targets().isEmpty()) {
            out.append("### Targets\n\n");
            MarkdownTable targets = MarkdownTable.of("target", "measure", "value", "goal", "met").rightAlign(2);
            for (Target target : results.targets()) {
                targets.row(target.name(), target.measure(), target.value() == null ? "n/a"
                                : figure(target.value()) + (target.unit() == null ? "" : " " + target.unit()),
                        target.goal(), target.met() == null ? "n/a" : target.met() ? "met" : "NOT met");
            }
            out.append(targets.render()).append('\n');
        }
        if (!results.slots().isEmpty()) {
            out.append("### Measured by separate benchmarks\n\n");
            MarkdownTable slots = MarkdownTable.of("slot", "status", "command", "latest results");
            for (Map.Entry<String, Slot> slot : results.slots().entrySet()) {
                slots.row(slot.getKey(), slot.getValue().status(), "`" + slot.getValue().command() + "`",
                        slot.getValue().latest() == null ? "none yet (" + slot.getValue().latestFile() + ")"
                                : slot.getValue().latestFile());
            }
            out.append(slots.render()).append('\n');
        }
        results.notes().forEach(note -> out.append("- ").append(note).append('\n'));
        return out.toString();
    }

    private static String table(String load, List<Row> rows) {
        MarkdownTable table = MarkdownTable.of("path", "side", load, "calls", "errors", "calls/s", "mean ms", "p50 ms",
                "p95 ms", "p99 ms", "p99.9 ms", "max ms", "× baseline", "note").rightAlign(2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        for (Row row : rows) {
            var latency = row.latencyMs();
            table.row(row.path(), row.side(),
                    row.concurrency() != null ? row.concurrency().toString() : figure(row.ratePerSecond()),
                    String.format(Locale.ROOT, "%,d", row.operations()), String.format(Locale.ROOT, "%,d", row.errors()),
                    figure(row.throughputPerSecond()),
                    latency == null ? "–" : millis(latency.mean()), latency == null ? "–" : millis(latency.p50()),
                    latency == null ? "–" : millis(latency.p95()), latency == null ? "–" : millis(latency.p99()),
                    latency == null ? "–" : millis(latency.p999()), latency == null ? "–" : millis(latency.max()),
                    row.ratio() == null ? (row.comparedWith() == null ? "" : row.notCompared() != null
                            && row.notCompared().startsWith("saturated") ? "saturated" : "n/a")
                            : String.format(Locale.ROOT, "%.2f×", row.ratio()),
                    note(row));
        }
        return table.render();
    }

    private static String note(Row row) {
        StringBuilder note = new StringBuilder();
        if (row.ratio() != null || row.comparedWith() != null) {
            note.append(row.ratioBasis()).append(" vs ").append(row.comparedWith());
            if (row.notCompared() != null) {
                note.append(": no ratio, ").append(row.notCompared());
            }
        }
        if (row.hitShare() != null) {
            note.append(note.isEmpty() ? "" : "; ").append(String.format(Locale.ROOT, "Redis hits %.1f %%",
                    100 * row.hitShare()));
        }
        if (row.saturated()) {
            note.append(note.isEmpty() ? "" : "; ").append(String.format(Locale.ROOT,
                    "SATURATED: stopped sending, %,d calls unsent", row.unsent()));
        }
        if (row.firstError() != null) {
            note.append(note.isEmpty() ? "" : "; ").append("first error: ").append(row.firstError());
        }
        return note.toString();
    }

    /** The closing line: how long the whole run took, and how much of it the benchmark method (seeding, measuring). */
    public static String elapsed(double elapsedSeconds, java.time.Duration method) {
        return String.format(Locale.ROOT, "Elapsed: %s since the test JVM started (start-up, seeding and measuring;"
                + " Maven's build before it not included), of which %s seeding and measuring.", clock(elapsedSeconds),
                clock(method.toMillis() / 1e3));
    }

    /** "4 min 07.3 s", or "12.0 s". */
    static String clock(double seconds) {
        long tenths = Math.round(seconds * 10);
        long minutes = tenths / 600;
        double rest = (tenths % 600) / 10.0;
        return minutes == 0 ? String.format(Locale.ROOT, "%.1f s", rest)
                : String.format(Locale.ROOT, "%d min %04.1f s", minutes, rest);
    }

    static String figure(Double value) {
        if (value == null) {
            return "n/a";
        }
        return Math.abs(value) >= 100 || value == Math.rint(value) ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%.2f", value);
    }

    static String millis(double value) {
        return value < 1 ? String.format(Locale.ROOT, "%.3f", value) : value < 100
                ? String.format(Locale.ROOT, "%.2f", value) : String.format(Locale.ROOT, "%,.1f", value);
    }
}
