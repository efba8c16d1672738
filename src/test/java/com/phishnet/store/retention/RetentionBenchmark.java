package com.phishnet.store.retention;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.reactivestreams.client.MongoClient;
import com.phishnet.store.jobs.JobState;
import com.phishnet.store.support.AppOnRealMongo;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.RealMongo;
import com.phishnet.store.support.RequiresRealMongo;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Scan ingestion latency while a retention run archives and deletes {@value #EXPIRED_DEFAULT} expired email records,
 * next to ingestion alone in the same run against the same server. The run's pacing (batches, pause, rate) is what
 * keeps ingestion's share; the target is a p99 with the run at most 1.5 times the p99 without it.
 *
 * <p>Not part of the test run: {@code ./mvnw -B test -Pbenchmark -Dtest=RetentionBenchmark}, wherever the
 * integration tier finds a MongoDB ({@code -Dbenchmark.retention.expired=} to change the size). It prints a Markdown
 * table and asserts no timing. The expired records are seeded with insertMany past the validator (the benchmark
 * measures deletion, not validation); ingestion goes through HTTP, the full stack.
 */
@Tag("benchmark")
@RequiresRealMongo
@ActiveProfiles("local")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "phishnet.retention.run.scheduled=false")
@AutoConfigureWebTestClient(timeout = "PT60S")
class RetentionBenchmark {

    private static final int EXPIRED_DEFAULT = 1_000_000;
    private static final int EXPIRED = Integer.getInteger("benchmark.retention.expired", EXPIRED_DEFAULT);
    private static final int SCANS_PER_PHASE = Integer.getInteger("benchmark.retention.scans", 3_000);
    private static final String DATABASE = RealMongo.newDatabaseName();
    private static final String TENANT = "bench";

    @Autowired
    WebTestClient http;
    @Autowired
    MongoClient client;
    @Autowired
    RetentionRuns runs;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        AppOnRealMongo.register(registry, DATABASE);
        registry.add("phishnet.backup.directory", () -> Path.of("target/benchmark/retention-" + DATABASE).toString());
        registry.add("phishnet.backup.staging", () -> Path.of("target/benchmark/staging-" + DATABASE).toString());
        registry.add("phishnet.rate-limit.enabled", () -> "false");
    }

    @AfterAll
    static void dropDatabase(@Autowired MongoClient client) {
        AppOnRealMongo.drop(client, DATABASE);
    }

    @Test
    void ingestionLatencyWhileARetentionRunDeletesNextToIngestionAlone() {
        String admin = DevTokens.mint(http, "admin-1", TENANT, List.of("ADMIN"));
        String scanner = DevTokens.mint(http, "scanner-1", TENANT, List.of(), "scans:write");
        String userId = ((Map<?, ?>) http.post().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", "bench@example.com", "role", "USER"))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("user"))
                .get("id").toString();
        seedExpired(userId);
        ingest(scanner, userId, "warm", 300);

        long[] alone = ingest(scanner, userId, "alone", SCANS_PER_PHASE);

        Instant started = Instant.now();
        RetentionRun[] finished = new RetentionRun[1];
        Disposable run = runs.runScheduled().subscribe(done -> finished[0] = done);
        long[] during = ingest(scanner, userId, "during", SCANS_PER_PHASE);
        boolean overlapped = finished[0] == null;
        while (finished[0] == null) {
            Mono.delay(Duration.ofMillis(200)).block();
        }
        run.dispose();
        Duration runTook = Duration.between(started, Instant.now());
        if (finished[0].state() != JobState.COMPLETED) {
            throw new IllegalStateException("the benchmark's retention run failed: " + finished[0].error());
        }

        double ratio = (double) percentile(during, 99) / percentile(alone, 99);
        List<String> rows = new ArrayList<>();
        rows.add("| ingestion | scans | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |");
        rows.add("|---|---:|---:|---:|---:|---:|");
        rows.add(row("alone", alone));
        rows.add(row("while retention deletes " + String.format("%,d", finished[0].deleted()) + " documents", during));
        System.out.println(String.join("\n", rows));
        System.out.printf("retention run: %,d archived, %,d deleted in %s%s; p99 ratio %.2f× (target ≤ 1.5×: %s)%n",
                finished[0].archived(), finished[0].deleted(), runTook,
                overlapped ? "" : " (it finished before the ingestion phase: raise benchmark.retention.expired)",
                ratio, ratio <= 1.5 ? "met" : "NOT met");
    }

    private void seedExpired(String userId) {
        Date longAgo = Date.from(Instant.now().minus(Duration.ofDays(400)));
        Flux.range(0, EXPIRED / 1000)
                .concatMap(batch -> {
                    List<Document> documents = new ArrayList<>(1000);
                    for (int i = 0; i < 1000; i++) {
                        int id = batch * 1000 + i;
                        documents.add(new Document("_id", "old-" + id).append("tenantId", TENANT).append("userId", userId)
                                .append("messageId", "<old-" + id + "@example.com>").append("sender", "billing@example.com")
                                .append("senderDomain", "example.com").append("recipients", List.of("bench@example.com"))
                                .append("subject", "Invoice " + id).append("receivedAt", longAgo).append("sizeBytes", 2048L)
                                .append("legalHold", false).append("createdAt", longAgo));
                    }
                    return client.getDatabase(DATABASE).getCollection("emails_meta")
                            .insertMany(documents, new InsertManyOptions().bypassDocumentValidation(true).ordered(false));
                }, 4)
                .blockLast(Duration.ofMinutes(20));
    }

    /** Ingests {@code count} scans one after another; the latency of each, in nanoseconds. */
    private long[] ingest(String scanner, String userId, String phase, int count) {
        long[] latencies = new long[count];
        for (int i = 0; i < count; i++) {
            String body = """
                    {"userId":"%s",
                     "email":{"messageId":"<%s-%d@example.com>","sender":"eve@evil.example","recipients":["bench@example.com"],
                              "subject":"Invoice","receivedAt":"%s","sizeBytes":1024},
                     "result":{"verdict":"CLEAN","score":0.1,"indicators":[],"modelVersion":"m-1","scannedAt":"%s"}}"""
                    .formatted(userId, phase, i, Instant.now(), Instant.now());
            long start = System.nanoTime();
            http.post().uri("/api/v1/scans").header(HttpHeaders.AUTHORIZATION, "Bearer " + scanner)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                    .exchange().expectStatus().isCreated();
            latencies[i] = System.nanoTime() - start;
        }
        return latencies;
    }

    private static long percentile(long[] latencies, int percentile) {
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
    }

    private static String row(String phase, long[] latencies) {
        return String.format("| %s | %,d | %.1f | %.1f | %.1f | %.1f |", phase, latencies.length,
                percentile(latencies, 50) / 1e6, percentile(latencies, 95) / 1e6, percentile(latencies, 99) / 1e6,
                percentile(latencies, 100) / 1e6);
    }
}
