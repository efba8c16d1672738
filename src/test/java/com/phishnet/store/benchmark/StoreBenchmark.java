package com.phishnet.store.benchmark;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import com.mongodb.reactivestreams.client.MongoClient;
import com.phishnet.store.platform.mongo.StoreMongoProperties;
import com.phishnet.store.platform.time.IdSource;
import com.phishnet.store.reputation.ReputationService;
import com.phishnet.store.support.AppOnRealMongo;
import com.phishnet.store.support.RealMongo;
import com.phishnet.store.support.RedisServer;
import com.phishnet.store.support.RequiresRealMongo;
import com.phishnet.store.support.bench.BenchmarkParameters;
import com.phishnet.store.support.bench.BenchmarkReport;
import com.phishnet.store.support.bench.BenchmarkResults;
import com.phishnet.store.support.bench.BenchmarkResults.Section;
import com.phishnet.store.support.bench.BenchmarkResults.Slot;
import com.phishnet.store.support.bench.BenchmarkResults.Target;
import com.phishnet.store.support.bench.ClosedLoop;
import com.phishnet.store.support.bench.MachineFacts;
import com.phishnet.store.support.bench.Measurement;
import com.phishnet.store.support.bench.OpenModel;
import com.phishnet.store.support.bench.Operation;
import com.phishnet.store.support.bench.SeparateResults;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The one-command benchmark: {@code ./mvnw -Pbenchmark verify}. It starts the service in this JVM on a real port,
 * on the MongoDB replica set the integration tier finds ({@code MONGODB_URI}, a {@code mongod} on the PATH, or
 * Docker; without one the tier's single SKIPPED line is all it prints, and the build passes), with a
 * {@code redis-server} of its own, seeds data in a database of its own, and measures side by side in one run:
 * <ul>
 * <li>scan ingestion over HTTP next to the same transaction issued straight through the driver
 * ({@link RawScanIngestion}), at each closed-loop concurrency and each open-model arrival rate;</li>
 * <li>paged reads over HTTP — offset page 1, the offset page at a depth, the keyset cursor at that depth — next to
 * the driver's query for each;</li>
 * <li>reputation look-ups: a Redis hit and a miss (MongoDB) over HTTP and in the service, next to the driver's
 * find;</li>
 * </ul>
 * and prints a Markdown table and writes {@code target/benchmark/results.json}. SSE fan-out and backup throughput
 * have benchmarks of their own ({@code StreamFanOutBenchmark}, {@code BackupBenchmark}), too heavy for this run;
 * their slots here name the command and carry their latest results file when one exists.
 * <p>
 * It measures; it asserts no timing. It fails only when it cannot measure honestly: a setup step fails, or the two
 * sides of a comparison do not do the same thing (documents of another shape, another first row).
 */
@Tag("benchmark")
@RequiresRealMongo
@ActiveProfiles("local")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StoreBenchmark {

    static final String TITLE = "PhishNet Store side-by-side benchmark";
    private static final String DATABASE = RealMongo.newDatabaseName();
    private static final String RUN = DATABASE.substring(3, 11);
    private static RedisServer redis;
    private static String redisUnavailable;

    @Autowired
    MongoClient client;
    @Autowired
    ReactiveMongoTemplate template;
    @Autowired
    ReactiveStringRedisTemplate redisTemplate;
    @Autowired
    ReputationService reputation;
    @Autowired
    MeterRegistry meters;
    @Autowired
    StoreMongoProperties mongoProperties;
    @Autowired
    Clock clock;
    @Autowired
    IdSource ids;
    @Autowired
    SecureRandom random;
    @LocalServerPort
    int port;

    private BenchmarkParameters parameters;
    private BenchHttp http;
    private ClosedLoop closedLoop;
    private OpenModel openModel;
    private final List<Target> targets = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        AppOnRealMongo.register(registry, DATABASE);
        try {
            redis = RedisServer.start();
            registry.add("spring.data.redis.url", redis::url);
        }
        catch (IllegalStateException unavailable) {
            // The service runs without its cache; the reputation section says why it has no figures.
            redisUnavailable = unavailable.getMessage();
        }
        // A rate limit would cap what is measured; retention must not run in the middle of it.
        registry.add("phishnet.rate-limit.enabled", () -> "false");
        registry.add("phishnet.retention.run.scheduled", () -> "false");
    }

    @AfterAll
    static void cleanUp(@Autowired MongoClient client) {
        try {
            AppOnRealMongo.drop(client, DATABASE);
        }
        finally {
            if (redis != null) {
                redis.close();
            }
        }
    }

    @Test
    void sideBySide() {
        parameters = BenchmarkParameters.fromSystemProperties();
        Instant started = Instant.now();
        String mongo = RealMongo.find().orElseThrow().source();
        System.out.printf("%n%s: MongoDB from %s, database %s; %d measurements of %s + %s warm-up, about %d s of"
                        + " measuring after start-up and seeding.%n", TITLE, mongo, DATABASE, parameters.measurements(),
                parameters.duration(), parameters.warmup(), parameters.plannedSeconds());
        closedLoop = ClosedLoop.inRealTime(parameters.timeout());
        openModel = OpenModel.inRealTime(parameters.timeout(), parameters::maxOutstanding);
        http = new BenchHttp(port, Math.max(parameters.maxConcurrency(),
                Math.max(parameters.readsConcurrency(), parameters.reputationConcurrency())) + 16, parameters.timeout());
        List<Section> sections = new ArrayList<>();
        try {
            if (parameters.runs("ingestion")) {
                sections.add(new IngestionSection(this).run());
            }
            if (parameters.runs("reads")) {
                sections.add(new ReadsSection(this).run());
            }
            if (parameters.runs("reputation")) {
                sections.add(new ReputationSection(this).run());
            }
        }
        finally {
            http.close();
        }
        Map<String, String> versions = Versions.of(client, DATABASE, redisTemplate, redis != null);
        Instant finished = Instant.now();
        // The JVM's uptime covers what the one command waits for besides the measuring: starting mongod (when it is
        // started here), Spring and the seeding. Maven's own build before the tests is not in it.
        double elapsed = ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
        BenchmarkResults results = new BenchmarkResults(TITLE, started.toString(), finished.toString(), elapsed,
                MachineFacts.ofThisJvm(), mongo, versions, parameters.asMap(), sections, targets, slots(), notes);
        System.out.println();
        System.out.println(BenchmarkReport.markdown(results));
        Path written = BenchmarkReport.writeJson(results, Path.of(parameters.output()));
        System.out.println("Results: " + written.toAbsolutePath());
        System.out.println(BenchmarkReport.elapsed(elapsed, Duration.between(started, finished)));
    }

    // ---- What the sections share ---------------------------------------------------------------------------

    BenchmarkParameters parameters() {
        return parameters;
    }

    BenchHttp http() {
        return http;
    }

    MongoClient client() {
        return client;
    }

    String database() {
        return DATABASE;
    }

    String run() {
        return RUN;
    }

    ReactiveMongoTemplate template() {
        return template;
    }

    ReactiveStringRedisTemplate redisTemplate() {
        return redisTemplate;
    }

    ReputationService reputation() {
        return reputation;
    }

    MeterRegistry meters() {
        return meters;
    }

    String redisUnavailable() {
        return redis == null ? (redisUnavailable == null ? "no redis-server" : redisUnavailable) : null;
    }

    RawScanIngestion rawIngestion() {
        return new RawScanIngestion(client, DATABASE, mongoProperties, clock, ids, random);
    }

    Clock clock() {
        return clock;
    }

    void target(Target target) {
        targets.add(target);
    }

    void note(String note) {
        notes.add(note);
    }

    /** A closed-loop measurement, announced and summarised on the console as it goes. */
    Measurement closed(String section, String path, String side, int workers, Operation operation) {
        System.out.printf("  %s | %s | %s | closed loop, %d workers ...%n", section, path, side, workers);
        Measurement measurement = closedLoop.run(workers, parameters.warmup(), parameters.duration(), operation)
                .block(limit());
        return summarised(measurement);
    }

    /** An open-model measurement, announced and summarised on the console as it goes. */
    Measurement open(String section, String path, String side, double rate, Operation operation) {
        System.out.printf(Locale.ROOT, "  %s | %s | %s | open model, %s calls/s, saturated at %,d in flight ...%n",
                section, path, side, rate, parameters.maxOutstanding(rate));
        Measurement measurement = openModel.run(rate, parameters.warmup(), parameters.duration(), operation)
                .block(limit());
        return summarised(measurement);
    }

    /** Unmeasured calls before the measurements of a path: JIT, connection pools, caches. */
    void prime(int workers, Duration duration, Operation operation) {
        if (!duration.isZero()) {
            closedLoop.run(workers, duration, Duration.ZERO, operation).block(limit().plus(duration));
        }
    }

    private Duration limit() {
        return parameters.warmup().plus(parameters.duration()).plus(parameters.timeout()).plusMinutes(2);
    }

    private static Measurement summarised(Measurement measurement) {
        System.out.printf(Locale.ROOT, "    %,d calls, %,d errors, %,.0f calls/s, mean %.2f ms, p99 %.2f ms%s%s%n",
                measurement.completed(), measurement.errors(), measurement.throughput(),
                measurement.hasSamples() ? measurement.latency().meanMillis() : Double.NaN,
                measurement.hasSamples() ? measurement.latency().p99Millis() : Double.NaN,
                measurement.saturated() ? String.format(Locale.ROOT, ", SATURATED (%,d unsent)", measurement.unsent()) : "",
                measurement.firstError() == null ? "" : ", first error: " + measurement.firstError());
        return measurement;
    }

    /** The two sides of one comparison. */
    record SideBySide(Measurement service, Measurement raw) {
    }

    /**
     * Both sides measured one after the other, the service first at an even {@code turn} and the driver first at an
     * odd one, so neither side always runs on the collections, caches and JIT state the other one left.
     */
    static SideBySide inTurn(int turn, Supplier<Measurement> service, Supplier<Measurement> raw) {
        if (turn % 2 == 0) {
            Measurement first = service.get();
            return new SideBySide(first, raw.get());
        }
        Measurement first = raw.get();
        return new SideBySide(service.get(), first);
    }

    /** The tenant (or other per-worker state) of a call: its worker's, or spread by sequence in the open model. */
    static <T> T slotOf(List<T> slots, Operation.Invocation invocation) {
        return slots.get(invocation.slot(slots.size()));
    }

    static <T> T logged(String step, Supplier<T> work) {
        long start = System.nanoTime();
        T result = work.get();
        System.out.printf(Locale.ROOT, "  %s (%.1f s)%n", step, (System.nanoTime() - start) / 1e9);
        return result;
    }

    /** The separate benchmarks' slots, with their latest results written on this checkout, if any. */
    private Map<String, Slot> slots() {
        Map<String, Slot> slots = new LinkedHashMap<>();
        Path output = Path.of(parameters.output());
        slots.put("sseFanOut", slot("./mvnw -Pbenchmark verify -Dtest=StreamFanOutBenchmark",
                "commit-to-receipt lag of /api/v1/streams/scans at 1, 100, 1,000 and 10,000 subscribers, each next to"
                        + " the single subscriber's (target: p99 at 10,000 at most 2x the single one's)",
                output.resolve(SeparateResults.STREAM_FAN_OUT)));
        slots.put("backup", slot("./mvnw -Pbenchmark verify -Dtest=BackupBenchmark",
                "backup throughput (documents/s, MB/s of BSON) next to a raw driver read of the same collections"
                        + " (target: at least 0.8x the raw read)",
                output.resolve(SeparateResults.BACKUP)));
        return slots;
    }

    private static Slot slot(String command, String note, Path file) {
        return new Slot("separate", command, note, file.toString(), BenchmarkReport.readTree(file));
    }
}
