package com.phishnet.store.backup;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.phishnet.store.backup.BackupRequests.CreateBackup;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.support.AppOnRealMongo;
import com.phishnet.store.support.RealMongo;
import com.phishnet.store.support.RequiresRealMongo;
import com.phishnet.store.support.bench.SeparateResults;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Flux;

/**
 * Backup throughput (documents/s and MB/s of BSON read) next to reading the same collections straight through the
 * driver in the same run, against the same server. The backup does more than the read — gzip, SHA-256, tar, the
 * store — so the ratio shows what that costs; the target is at least 0.8 of the raw read.
 *
 * <p>Not part of the test run: {@code ./mvnw -Pbenchmark verify -Dtest=BackupBenchmark}, wherever the integration
 * tier finds a MongoDB. It prints a Markdown table and writes {@code target/benchmark/backup.json}, which the
 * one-command benchmark's results.json carries in its backup slot; it asserts no timing. Each side runs
 * {@link #ROUNDS} times, alternating, and the best round of each is reported (the least disturbed by the machine).
 */
@Tag("benchmark")
@RequiresRealMongo
@SpringBootTest
@ActiveProfiles("local")
class BackupBenchmark {

    private static final String DATABASE = RealMongo.newDatabaseName();
    private static final int DOCUMENTS_PER_COLLECTION = Integer.getInteger("benchmark.backup.documents", 200_000);
    private static final List<String> COLLECTIONS = List.of("bench_scans", "bench_emails", "bench_audit");
    private static final int ROUNDS = 3;
    private static final Caller OPERATOR = new Caller("bench", "bench", Set.of(), Set.of("service:operator"),
            "127.0.0.1", "benchmark", "bench");

    @Autowired
    MongoClient client;
    @Autowired
    BackupService backups;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        AppOnRealMongo.register(registry, DATABASE);
        registry.add("phishnet.backup.directory", () -> Path.of("target/benchmark/backups-" + DATABASE).toString());
        registry.add("phishnet.backup.staging", () -> Path.of("target/benchmark/staging-" + DATABASE).toString());
    }

    @AfterAll
    static void dropDatabase(@Autowired MongoClient client) {
        AppOnRealMongo.drop(client, DATABASE);
    }

    @Test
    void backupThroughputNextToTheRawDriver() {
        MongoDatabase database = client.getDatabase(DATABASE);
        seed(database);
        long bytes = Flux.fromIterable(COLLECTIONS).concatMap(name -> Flux.from(
                        database.getCollection(name, RawBsonDocument.class).find()))
                .map(document -> (long) document.getByteBuffer().remaining()).reduce(0L, Long::sum).block();
        long documents = (long) DOCUMENTS_PER_COLLECTION * COLLECTIONS.size();

        Instant started = Instant.now();
        long bestRaw = Long.MAX_VALUE;
        long bestBackup = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            bestRaw = Math.min(bestRaw, timed(() -> rawRead(database)));
            bestBackup = Math.min(bestBackup, timed(this::backup));
        }

        List<String> rows = new ArrayList<>();
        rows.add("| path | documents | BSON MB | best of " + ROUNDS + " (s) | documents/s | MB/s | ratio to raw |");
        rows.add("|---|---:|---:|---:|---:|---:|---:|");
        rows.add(row("raw driver find (RawBsonDocument)", documents, bytes, bestRaw, bestRaw));
        rows.add(row("backup (snapshot read, gzip, SHA-256, tar, store)", documents, bytes, bestBackup, bestRaw));
        System.out.println(String.join("\n", rows));
        System.out.println("Results: " + SeparateResults.write(SeparateResults.BACKUP, "backup throughput", started,
                Map.of("mongo", RealMongo.find().orElseThrow().source(), "documents", documents,
                        "bsonMegabytes", bytes / 1e6, "rounds", ROUNDS, "target", "backup at least 0.8x the raw read",
                        "raw", figures(documents, bytes, bestRaw), "backup", figures(documents, bytes, bestBackup),
                        "ratio", (double) bestRaw / bestBackup))
                .toAbsolutePath());
    }

    /** The best round of one side, for the results file. */
    private static Map<String, Object> figures(long documents, long bytes, long nanos) {
        double seconds = nanos / 1e9;
        return Map.of("bestSeconds", seconds, "documentsPerSecond", documents / seconds,
                "megabytesPerSecond", bytes / 1e6 / seconds);
    }

    private void seed(MongoDatabase database) {
        Random random = new Random(42);
        for (String name : COLLECTIONS) {
            Flux.range(0, DOCUMENTS_PER_COLLECTION / 1000)
                    .concatMap(batch -> {
                        List<Document> documents = new ArrayList<>(1000);
                        for (int i = 0; i < 1000; i++) {
                            int id = batch * 1000 + i;
                            byte[] digest = new byte[32];
                            random.nextBytes(digest);
                            documents.add(new Document("_id", name + "-" + id).append("tenantId", "t" + (id % 20))
                                    .append("subject", "Invoice " + id + " for account " + random.nextInt(1_000_000))
                                    .append("sender", "billing" + (id % 97) + "@example.com")
                                    .append("score", random.nextDouble()).append("sha256", digest)
                                    .append("indicators", List.of(new Document("type", "url")
                                            .append("value", "http://x" + (id % 1000) + ".example/login")))
                                    .append("receivedAt", new java.util.Date(1_765_000_000_000L + id)));
                        }
                        return database.getCollection(name).insertMany(documents);
                    }, 4)
                    .blockLast(Duration.ofMinutes(10));
        }
    }

    private void rawRead(MongoDatabase database) {
        Flux.fromIterable(COLLECTIONS).concatMap(name -> Flux.from(database.getCollection(name, RawBsonDocument.class)
                .find().batchSize(1000))).count().block();
    }

    private void backup() {
        Backup done = backups.start(OPERATOR, new CreateBackup(COLLECTIONS, null, "benchmark"), BackupTrigger.MANUAL)
                .flatMap(started -> backups.run(started, OPERATOR))
                .block(Duration.ofMinutes(30));
        if (done == null || done.state() != BackupState.COMPLETED) {
            throw new IllegalStateException("the benchmark's backup failed: " + (done == null ? null : done.error()));
        }
        backups.delete(OPERATOR, done.id()).block();
    }

    private static long timed(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return System.nanoTime() - start;
    }

    private static String row(String path, long documents, long bytes, long nanos, long rawNanos) {
        double seconds = nanos / 1e9;
        double megabytes = bytes / 1e6;
        return String.format("| %s | %,d | %.1f | %.2f | %,.0f | %.1f | %.2f× |", path, documents, megabytes, seconds,
                documents / seconds, megabytes / seconds, (double) rawNanos / nanos);
    }
}
