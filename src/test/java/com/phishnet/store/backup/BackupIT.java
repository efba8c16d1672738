package com.phishnet.store.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import com.mongodb.reactivestreams.client.MongoClient;
import com.phishnet.store.platform.crypto.Sha256;
import com.phishnet.store.support.AppOnRealMongo;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.RealMongo;
import com.phishnet.store.support.RequiresRealMongo;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Backups end to end on a real replica set, over HTTP: one point in time while ingestion runs, a tenant export that
 * holds only its tenant, verification that notices a flipped byte, restore into an empty database, and a download
 * that streams instead of buffering.
 */
@RequiresRealMongo
@ActiveProfiles("local")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "PT120S")
class BackupIT {

    private static final String DATABASE = RealMongo.newDatabaseName();
    private static final Path BACKUPS = Path.of("target/test-data/backups-" + DATABASE);

    @Autowired
    WebTestClient http;
    @Autowired
    MongoClient client;
    @Autowired
    SnapshotExporter exporter;
    @LocalServerPort
    int port;

    private String operator;
    private String tenant;
    private String scanner;
    private String userId;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        AppOnRealMongo.register(registry, DATABASE);
        registry.add("phishnet.backup.directory", BACKUPS::toString);
        registry.add("phishnet.backup.staging", () -> BACKUPS.resolveSibling("staging-" + DATABASE).toString());
        registry.add("phishnet.rate-limit.enabled", () -> "false");
    }

    @AfterAll
    static void dropDatabases(@Autowired MongoClient client) {
        AppOnRealMongo.drop(client, DATABASE);
        Flux.from(client.listDatabaseNames()).filter(name -> name.startsWith(DATABASE + "_"))
                .concatMap(name -> client.getDatabase(name).drop()).blockLast();
    }

    @BeforeEach
    void tenantWithAUser() {
        operator = DevTokens.mint(http, "ops-1", "ops", List.of(), "service:operator");
        tenant = newTenant();
        scanner = DevTokens.mint(http, "scanner-1", tenant, List.of(), "scans:write");
        userId = newUser(tenant);
    }

    @Test
    void aBackupTakenWhileFiftyIngestionsRunHoldsEveryScanWhollyOrNotAtAll() throws IOException {
        WebClient web = WebClient.create("http://localhost:" + port);
        AtomicLong ingested = new AtomicLong();
        var ingestion = Flux.range(0, 50)
                .flatMap(i -> web.post().uri("/api/v1/scans").header(HttpHeaders.AUTHORIZATION, "Bearer " + scanner)
                        .header("Idempotency-Key", "k-" + i).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(scan("<m" + i + "@x>", i % 3 == 0 ? "MALICIOUS" : "CLEAN"))
                        .exchangeToMono(response -> Mono.just(response.statusCode().value()))
                        .doOnNext(status -> ingested.incrementAndGet()), 8)
                .collectList()
                .toFuture();
        // Start once ingestion is under way, so the backup's cluster time falls between ingestions.
        Instant deadline = Instant.now().plusSeconds(60);
        while (ingested.get() < 10 && Instant.now().isBefore(deadline)) {
            sleep(5);
        }
        String id = startBackup("{}");
        Map<String, Object> backup = awaitFinished(id);
        List<Integer> statuses = ingestion.join();

        assertThat(statuses).containsOnly(201);
        assertThat(backup.get("state")).isEqualTo("COMPLETED");
        Map<String, List<BsonDocument>> archived = documents(download(id));
        List<BsonDocument> scans = ofTenant(archived.get("scan_results"), tenant);
        Set<String> emails = ofTenant(archived.get("emails_meta"), tenant).stream()
                .map(email -> email.getString("_id").getValue()).collect(Collectors.toSet());
        Set<String> audited = ofTenant(archived.get("audit_logs"), tenant).stream()
                .filter(entry -> entry.getString("eventType").getValue().equals("SCAN_INGESTED"))
                .map(entry -> entry.getString("targetId").getValue()).collect(Collectors.toSet());
        for (BsonDocument scan : scans) {
            assertThat(emails).as("the email of scan %s", scan.get("_id")).contains(scan.getString("emailId").getValue());
            assertThat(audited).as("the audit entry of scan %s", scan.get("_id")).contains(scan.getString("_id").getValue());
        }
        assertThat(audited).as("no audit entry without its scan").hasSize(scans.size());
        BsonDocument tenantStats = ofTenantId(archived.get("tenant_stats"), tenant);
        BsonDocument user = archived.get("users").stream().filter(u -> u.getString("_id").getValue().equals(userId))
                .findFirst().orElseThrow();
        long countedForTenant = tenantStats == null ? 0 : tenantStats.get("total").asNumber().longValue();
        assertThat(countedForTenant).as("the tenant's counter in the same backup").isEqualTo(scans.size());
        assertThat(user.getDocument("stats").get("total").asNumber().longValue()).as("the user's counter")
                .isEqualTo(scans.size());
        assertThat(backup.get("clusterTime")).isNotNull();
    }

    @Test
    void aScanCommittedAfterTheFirstCollectionWasReadIsInNoCollectionOfTheBackup(@TempDir Path staging)
            throws IOException {
        ingest(scanner, userId, "<before@x>");
        WebClient web = WebClient.create("http://localhost:" + port);
        AtomicLong calls = new AtomicLong();
        // Progress is awaited: the first call comes once audit_logs (first by name) is read, before any other
        // collection; the scan it commits then lands in four collections the export has not read yet.
        SnapshotExporter.Progress commitAScanMidway = (collection, written) -> calls.getAndIncrement() > 0 ? Mono.empty()
                : web.post().uri("/api/v1/scans").header(HttpHeaders.AUTHORIZATION, "Bearer " + scanner)
                        .header("Idempotency-Key", "k-after").contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(scan("<after@x>", "MALICIOUS")).retrieve().toBodilessEntity().then();

        var export = exporter.export(new SnapshotExporter.Plan("it-" + tenant, tenant, null), staging, "it",
                commitAScanMidway).block(Duration.ofMinutes(2));

        assertThat(calls.get()).as("the callback ran").isPositive();
        Map<String, List<BsonDocument>> dumped = new HashMap<>();
        for (var collection : export.manifest().collections()) {
            List<BsonDocument> documents = new ArrayList<>();
            try (InputStream in = Files.newInputStream(staging.resolve(collection.bsonFile()))) {
                DumpReader.read(in, collection.bsonFile(), documents::add);
            }
            dumped.put(collection.name(), documents);
        }
        assertThat(dumped.get("emails_meta")).extracting(email -> email.getString("messageId").getValue())
                .containsExactly("<before@x>");
        assertThat(dumped.get("scan_results")).hasSize(1);
        assertThat(ofTenantId(dumped.get("tenant_stats"), tenant)).as("tenant_stats is keyed by _id: not in a tenant export")
                .isNull();
        assertThat(dumped.get("users").get(0).getDocument("stats").get("total").asNumber().longValue()).isEqualTo(1);
        // The scan did commit: the live database has both.
        assertThat(Flux.from(client.getDatabase(DATABASE).getCollection("scan_results")
                .find(new Document("tenantId", tenant))).count().block()).isEqualTo(2);
    }

    @Test
    void aTenantBackupHoldsTheTenantsDocumentsAndNothingOfAnyOtherTenant() throws IOException {
        ingest(scanner, userId, "<a@x>");
        String other = newTenant();
        ingest(DevTokens.mint(http, "scanner-2", other, List.of(), "scans:write"), newUser(other), "<b@x>");

        String id = startBackup("{\"tenantId\":\"" + tenant + "\",\"note\":\"tenant export\"}");
        assertThat(awaitFinished(id).get("state")).isEqualTo("COMPLETED");

        Map<String, List<BsonDocument>> archived = documents(download(id));
        List<BsonDocument> all = archived.values().stream().flatMap(List::stream).toList();
        assertThat(ofTenant(archived.get("scan_results"), tenant)).hasSize(1);
        assertThat(all).isNotEmpty().allSatisfy(document ->
                assertThat(document.getString("tenantId").getValue()).isEqualTo(tenant));
    }

    @Test
    void verifyPassesOnTheStoredArchiveAndCatchesOneFlippedByte() throws IOException {
        ingest(scanner, userId, "<c@x>");
        String id = startBackup("{}");
        awaitFinished(id);

        verify(id).jsonPath("$.verification.passed").isEqualTo(true);

        Path stored = BACKUPS.resolve(id + ".tar");
        try (RandomAccessFile file = new RandomAccessFile(stored.toFile(), "rw")) {
            long middle = file.length() / 2;
            file.seek(middle);
            int original = file.read();
            file.seek(middle);
            file.write(original ^ 0x01);
        }

        verify(id).jsonPath("$.verification.passed").isEqualTo(false)
                .jsonPath("$.verification.problems[0]").value(problem -> assertThat(problem.toString()).contains("SHA-256"));
    }

    @Test
    void aRestoreIntoAnEmptyDatabaseEqualsTheSourceWithItsIndexesAndValidators() {
        ingest(scanner, userId, "<d@x>");
        ingest(scanner, userId, "<e@x>");
        String id = startBackup("{}");
        awaitFinished(id);
        String target = DATABASE + "_restored";

        http.post().uri("/api/v1/admin/backups/{id}/restore", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("targetDatabase", target, "dryRun", true))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.dryRun").isEqualTo(true).jsonPath("$.conflicts").isEmpty();
        assertThat(Flux.from(client.getDatabase(target).listCollectionNames()).collectList().block()).as("a dry run writes nothing")
                .isEmpty();

        String job = http.post().uri("/api/v1/admin/backups/{id}/restore", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("targetDatabase", target))
                .exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
        awaitJob(id, job);

        for (String collection : List.of("users", "scan_results", "emails_meta", "audit_logs", "tenant_stats")) {
            // The operators' own chain goes on after the backup (BACKUP_CREATED, the restore's events): compare the
            // scanning tenant's entries there, every document elsewhere.
            Document filter = collection.equals("audit_logs") ? new Document("tenantId", tenant) : new Document();
            assertThat(sorted(DATABASE, collection, filter)).as(collection).isNotEmpty()
                    .isEqualTo(sorted(target, collection, filter));
            assertThat(indexes(target, collection)).as(collection + " indexes").isEqualTo(indexes(DATABASE, collection));
            assertThat(options(target, collection).get("validator")).as(collection + " validator")
                    .isEqualTo(options(DATABASE, collection).get("validator"));
        }

        // The backup's own job was RUNNING at its cluster time: restored, it is FAILED, so nothing holds the index.
        assertThat(Flux.from(client.getDatabase(target).getCollection("jobs").find(new Document("_id", id))).next()
                .block().getString("state")).isEqualTo("FAILED");
        http.post().uri("/api/v1/admin/backups/{id}/restore", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("targetDatabase", target))
                .exchange().expectStatus().isEqualTo(409);
    }

    @Test
    void aLargeArchiveDownloadsWithoutTheServiceHoldingItInMemory() {
        // ~128 MiB of incompressible documents in a collection of their own (a data collection: it is backed up).
        seedNoise("bulk_fixture");
        String id = startBackup("{\"collections\":[\"bulk_fixture\"]}");
        Map<String, Object> backup = awaitFinished(id);
        long size = ((Number) backup.get("sizeBytes")).longValue();
        assertThat(size).isGreaterThan(100L * 1024 * 1024);

        // Live heap, not garbage: collected every 16 MiB received, then measured. Service and client share this JVM;
        // a service holding the archive would keep ~128 MiB live, streaming keeps a few buffers.
        var memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long baseline = memory.getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong(baseline);
        AtomicLong sinceCollection = new AtomicLong();
        MessageDigest digest = Sha256.digest();
        long received = WebClient.create("http://localhost:" + port).get()
                        .uri("/api/v1/admin/backups/{id}/archive", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                        .retrieve().bodyToFlux(org.springframework.core.io.buffer.DataBuffer.class)
                        .map(buffer -> {
                            int length = buffer.readableByteCount();
                            byte[] bytes = new byte[length];
                            buffer.read(bytes);
                            DataBufferUtils.release(buffer);
                            digest.update(bytes);
                            if (sinceCollection.addAndGet(length) >= 16L * 1024 * 1024) {
                                sinceCollection.set(0);
                                System.gc();
                                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                            }
                            return (long) length;
                        })
                        .reduce(0L, Long::sum)
                .block(Duration.ofMinutes(5));
        Mono.from(client.getDatabase(DATABASE).getCollection("bulk_fixture").drop()).block();

        assertThat(received).isEqualTo(size);
        assertThat(Sha256.hex(digest)).isEqualTo(backup.get("sha256"));
        assertThat(peak.get() - baseline).as("live heap growth while downloading %d bytes", size).isLessThan(size / 4);
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    /** 2,048 documents of 64 KiB of random bytes: ~128 MiB that gzip cannot shrink, so a backup of it takes seconds. */
    private void seedNoise(String collection) {
        byte[] noise = new byte[64 * 1024];
        Flux.range(0, 2048).concatMap(i -> {
            new java.util.Random(i).nextBytes(noise);
            return client.getDatabase(DATABASE).getCollection(collection)
                    .insertOne(new Document("_id", i).append("tenantId", tenant).append("noise", noise.clone()));
        }, 4).blockLast(Duration.ofMinutes(5));
    }

    private String startBackup(String body) {
        return http.post().uri("/api/v1/admin/backups").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
    }

    private Map<String, Object> awaitFinished(String id) {
        Map<String, Object> backup = awaitState(id);
        assertThat(backup.get("state")).as("backup %s: %s", id, backup.get("error")).isEqualTo("COMPLETED");
        return backup;
    }

    /** The backup once it is no longer RUNNING. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> awaitState(String id) {
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            Map<String, Object> backup = http.get().uri("/api/v1/admin/backups/{id}", id)
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                    .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
            if (!"RUNNING".equals(backup.get("state"))) {
                return backup;
            }
            sleep(200);
        }
        throw new AssertionError("backup " + id + " still running after 120 s");
    }

    private void awaitJob(String backupId, String jobId) {
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            Map<?, ?> job = http.get().uri("/api/v1/admin/backups/{id}/restores/{job}", backupId, jobId)
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                    .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
            if (!"RUNNING".equals(job.get("state"))) {
                assertThat(job.get("state")).as("restore %s: %s", jobId, job.get("error")).isEqualTo("COMPLETED");
                return;
            }
            sleep(200);
        }
        throw new AssertionError("restore " + jobId + " still running after 120 s");
    }

    private WebTestClient.BodyContentSpec verify(String id) {
        return http.post().uri("/api/v1/admin/backups/{id}/verify", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .exchange().expectStatus().isOk().expectBody();
    }

    private byte[] download(String id) {
        return http.get().uri("/api/v1/admin/backups/{id}/archive", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .exchange().expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
    }

    /** Every document of every collection in the archive, by collection name. */
    private static Map<String, List<BsonDocument>> documents(byte[] archive) throws IOException {
        Map<String, List<BsonDocument>> byCollection = new HashMap<>();
        try (InputStream in = new java.io.ByteArrayInputStream(archive)) {
            BackupArchive.read(in, (path, content) -> {
                if (path.endsWith(".bson.gz")) {
                    String name = path.substring(path.lastIndexOf('/') + 1, path.length() - ".bson.gz".length());
                    List<BsonDocument> documents = byCollection.computeIfAbsent(name, key -> new ArrayList<>());
                    DumpReader.read(content, path, documents::add);
                }
            });
        }
        return byCollection;
    }

    private static List<BsonDocument> ofTenant(List<BsonDocument> documents, String tenant) {
        return documents == null ? List.of() : documents.stream()
                .filter(document -> document.containsKey("tenantId") && document.getString("tenantId").getValue().equals(tenant))
                .toList();
    }

    private static BsonDocument ofTenantId(List<BsonDocument> documents, String tenant) {
        return documents == null ? null : documents.stream()
                .filter(document -> document.getString("_id").getValue().equals(tenant)).findFirst().orElse(null);
    }

    private List<Document> sorted(String database, String collection, Document filter) {
        return Flux.from(client.getDatabase(database).getCollection(collection).find(filter).sort(new Document("_id", 1)))
                .collectList().block();
    }

    private Map<String, Document> indexes(String database, String collection) {
        return Flux.from(client.getDatabase(database).getCollection(collection).listIndexes())
                .collectMap(index -> index.getString("name"), index -> {
                    Document spec = new Document(index);
                    spec.remove("ns");
                    spec.remove("v");
                    return spec;
                }).block();
    }

    private Document options(String database, String collection) {
        return Flux.from(client.getDatabase(database).listCollections().filter(new Document("name", collection)))
                .next().map(entry -> entry.get("options", Document.class)).block();
    }

    private void ingest(String token, String user, String messageId) {
        http.post().uri("/api/v1/scans").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .header("Idempotency-Key", "k" + messageId.hashCode()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(scanFor(user, messageId, "CLEAN")).exchange().expectStatus().isCreated();
    }

    private Map<String, Object> scan(String messageId, String verdict) {
        return scanFor(userId, messageId, verdict);
    }

    private static Map<String, Object> scanFor(String user, String messageId, String verdict) {
        Instant received = Instant.now().minusSeconds(60);
        return Map.of("userId", user,
                "email", Map.of("messageId", messageId, "sender", "a@x.example", "recipients", List.of("b@y.example"),
                        "subject", "Your invoice", "receivedAt", received.toString(), "sizeBytes", 1234),
                "result", Map.of("verdict", verdict, "score", "MALICIOUS".equals(verdict) ? 0.97 : 0.1,
                        "indicators", List.of(), "modelVersion", "m-2026.12", "timings", Map.of("totalMs", 42),
                        "scannedAt", received.plusSeconds(1).toString()));
    }

    private String newTenant() {
        return "t" + RealMongo.newDatabaseName().substring(3);
    }

    private String newUser(String inTenant) {
        String admin = DevTokens.mint(http, "admin-1", inTenant, List.of("ADMIN"));
        return http.post().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", "ann@example.com", "role", "USER"))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("user") instanceof Map<?, ?> user
                ? user.get("id").toString() : null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new AssertionError(interrupted);
        }
    }
}
