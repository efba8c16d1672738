package com.phishnet.store.scans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.mongodb.reactivestreams.client.MongoClient;
import com.phishnet.store.audit.AuditEventType;
import com.phishnet.store.audit.AuditService;
import com.phishnet.store.platform.web.CursorCodec.Position;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.Explain;
import com.phishnet.store.support.AppOnRealMongo;
import com.phishnet.store.support.RealMongo;
import com.phishnet.store.support.RedisServer;
import com.phishnet.store.support.RequiresRealMongo;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.test.context.ActiveProfiles;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Scan ingestion, reads, feedback, statistics and the audit chain on a real replica set. */
@RequiresRealMongo
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("local")
// The cache server stops with the class; a context left in the cache would keep reconnecting to it.
@DirtiesContext
class ScansIT {

    private static final String DATABASE = RealMongo.newDatabaseName();
    private static RedisServer cacheServer;

    @Autowired
    WebTestClient http;
    @Autowired
    MongoClient client;
    @Autowired
    ReactiveMongoTemplate mongo;
    @Autowired
    ReactiveStringRedisTemplate redis;
    @MockitoSpyBean
    AuditService audit;
    @MockitoSpyBean
    ScanStatistics statistics;
    @LocalServerPort
    int port;

    private String tenant;
    private String admin;
    private String scanner;
    private String userId;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        AppOnRealMongo.register(registry, DATABASE);
        // A real cache in place of AppOnRealMongo's dead address: counts left stale by a missed eviction would show.
        cacheServer = RedisServer.start();
        registry.add("spring.data.redis.url", cacheServer::url);
    }

    @AfterAll
    static void dropDatabase(@Autowired MongoClient client) {
        AppOnRealMongo.drop(client, DATABASE);
    }

    @AfterAll
    static void stopCache() {
        cacheServer.close();
    }

    @BeforeEach
    void tenantWithAUser() {
        tenant = "t" + RealMongo.newDatabaseName().substring(3);
        admin = DevTokens.mint(http, "admin-1", tenant, List.of("ADMIN"));
        scanner = DevTokens.mint(http, "scanner-1", tenant, List.of(), "scans:write");
        userId = http.post().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", "ann@example.com", "role", "USER"))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("user") instanceof Map<?, ?> user
                ? user.get("id").toString() : null;
    }

    @Test
    void aFailureAfterTheSecondWriteLeavesNothingInAnyOfTheFourPlaces() {
        long auditBefore = count("audit_logs");
        doReturn(Mono.error(new IllegalStateException("injected after the email and scan writes")))
                .when(audit).record(argThat(event -> event != null && event.type() == AuditEventType.SCAN_INGESTED));

        ingest(scan("<fail@x>", "MALICIOUS"), "key-fail").expectStatus().is5xxServerError();

        assertThat(count("emails_meta")).isZero();
        assertThat(count("scan_results")).isZero();
        assertThat(count("audit_logs")).isEqualTo(auditBefore);
        assertThat(userStats().getLong("total")).isZero();
        assertThat(Mono.from(client.getDatabase(DATABASE).getCollection("tenant_stats")
                .countDocuments(new Document("_id", tenant))).block()).isZero();
    }

    @Test
    void aFailureAfterTheCountersWereWrittenTakesTheCountsBackWithTheScan() {
        long auditBefore = count("audit_logs");
        doAnswer(call -> ((Mono<?>) call.callRealMethod())
                .then(Mono.error(new IllegalStateException("injected after the counter writes"))))
                .when(statistics).counted(any(), any(), any(), any());

        ingest(scan("<counted@x>", "MALICIOUS"), "key-counted").expectStatus().is5xxServerError();

        verify(statistics).counted(any(), eq(userId), eq(Verdict.MALICIOUS), any());
        verify(statistics, never()).committed(any(), any());
        assertThat(userStats().getLong("total")).isZero();
        assertThat(tenantStats()).isNull();
        assertThat(count("scan_results")).isZero();
        assertThat(count("emails_meta")).isZero();
        assertThat(count("audit_logs")).isEqualTo(auditBefore);
    }

    @Test
    void aFeedbackThatFailsAfterMovingTheCountersLeavesTheVerdictAndEveryCounterAsItWas() {
        String scanId = ingest(scan("<fb-fail@x>", "MALICIOUS"), "fb-fail").expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
        String analyst = DevTokens.mint(http, "analyst-1", tenant, List.of("ANALYST"));
        Document userBefore = userStats();
        Document tenantBefore = tenantStats();
        long auditBefore = count("audit_logs");
        assertThat(userBefore.getLong("malicious")).isEqualTo(1);
        assertThat(((Number) tenantBefore.get("malicious")).longValue()).isEqualTo(1);
        clearInvocations(statistics);
        doReturn(Mono.error(new IllegalStateException("injected after the counters moved")))
                .when(audit).record(argThat(event -> event != null && event.type() == AuditEventType.FEEDBACK_RECORDED));

        feedback(analyst, scanId, "CLEAN").expectStatus().is5xxServerError();

        verify(statistics).moved(any(), eq(userId), eq(Verdict.MALICIOUS), eq(Verdict.CLEAN), eq(true));
        verify(statistics, never()).committed(any(), any());
        assertThat(userStats()).isEqualTo(userBefore);
        assertThat(tenantStats()).isEqualTo(tenantBefore);
        assertThat(count("feedback")).isZero();
        assertThat(count("audit_logs")).isEqualTo(auditBefore);
        http.get().uri("/api/v1/scans/{id}", scanId).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectBody().jsonPath("$.effectiveVerdict").isEqualTo("MALICIOUS");
    }

    @Test
    void fiftyConcurrentIngestionsCountExactlyFifty() {
        WebClient web = WebClient.create("http://localhost:" + port);
        List<Integer> statuses = Flux.range(0, 50)
                .flatMap(i -> web.post().uri("/api/v1/scans").header(HttpHeaders.AUTHORIZATION, "Bearer " + scanner)
                        .header("Idempotency-Key", "k-" + i).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(scan("<m" + i + "@x>", i % 5 == 0 ? "MALICIOUS" : i % 3 == 0 ? "SUSPICIOUS" : "CLEAN"))
                        .exchangeToMono(response -> Mono.just(response.statusCode().value())), 50)
                .collectList().block(Duration.ofSeconds(120));

        assertThat(statuses).hasSize(50).containsOnly(201);
        assertThat(count("scan_results")).isEqualTo(50);
        Document recount = recount();
        Document stats = userStats();
        for (String verdict : List.of("CLEAN", "SUSPICIOUS", "MALICIOUS")) {
            assertThat(stats.get(verdict.toLowerCase(), Number.class).longValue()).as(verdict)
                    .isEqualTo(recount.get(verdict, 0L));
        }
        assertThat(stats.getLong("total")).isEqualTo(50);
        assertThat(((Number) tenantStats().get("total")).longValue()).isEqualTo(50);
    }

    @Test
    void aRepeatedIdempotencyKeyCountsOnceAndReturnsTheFirstResult() {
        Map<String, Object> request = scan("<once@x>", "MALICIOUS");
        String first = ingest(request, "same-key").expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();

        ingest(request, "same-key").expectStatus().isOk()
                .expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectBody().jsonPath("$.id").isEqualTo(first);
        ingest(scan("<other@x>", "CLEAN"), "same-key").expectStatus().isEqualTo(409);

        assertThat(count("scan_results")).isEqualTo(1);
        assertThat(userStats().getLong("total")).isEqualTo(1);
    }

    @Test
    void aMessageScannedTwiceReusesItsEmailMetadata() {
        ingest(scan("<again@x>", "CLEAN"), "a").expectStatus().isCreated();
        ingest(scan("<again@x>", "SUSPICIOUS"), "b").expectStatus().isCreated();

        assertThat(count("emails_meta")).isEqualTo(1);
        assertThat(count("scan_results")).isEqualTo(2);
    }

    @Test
    void invalidScansAreRejectedAndChangeNothing() {
        Map<String, Object> bad = new java.util.HashMap<>(scan("<bad@x>", "CLEAN"));
        bad.put("result", Map.of("verdict", "EVIL", "score", 3, "modelVersion", "", "scannedAt", Instant.now().toString()));

        ingest(bad, "bad").expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(count("scan_results")).isZero();
    }

    @Test
    void feedbackMovesTheScanBetweenCountersOncePerAnalyst() {
        String scanId = ingest(scan("<fb@x>", "MALICIOUS"), "fb").expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
        String analyst = DevTokens.mint(http, "analyst-1", tenant, List.of("ANALYST"));

        feedback(analyst, scanId, "CLEAN").expectStatus().isOk();
        feedback(analyst, scanId, "CLEAN").expectStatus().isOk();

        assertThat(count("feedback")).isEqualTo(1);
        Document stats = userStats();
        assertThat(stats.get("malicious", Number.class).longValue()).isZero();
        assertThat(stats.get("clean", Number.class).longValue()).isEqualTo(1);
        http.get().uri("/api/v1/scans/{id}", scanId).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectBody().jsonPath("$.effectiveVerdict").isEqualTo("CLEAN").jsonPath("$.verdict").isEqualTo("MALICIOUS");
    }

    @Test
    void tenantStatisticsAndTheDailySeriesCountTheCorrectedVerdicts() {
        String scanId = ingest(scan("<stats1@x>", "MALICIOUS"), "stats-1").expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
        ingest(scan("<stats2@x>", "SUSPICIOUS"), "stats-2").expectStatus().isCreated();
        // Read before the feedback, so the cache holds the old counts and only the eviction after its commit
        // lets the reads below see the moved ones.
        counts("/api/v1/analytics/tenant").jsonPath("$.total").isEqualTo(2).jsonPath("$.clean").isEqualTo(0)
                .jsonPath("$.suspicious").isEqualTo(1).jsonPath("$.malicious").isEqualTo(1).jsonPath("$.feedback").isEqualTo(0);
        counts("/api/v1/analytics/users/" + userId).jsonPath("$.clean").isEqualTo(0).jsonPath("$.malicious").isEqualTo(1);
        assertThat(redis.hasKey("stats:tenant:" + tenant).block()).as("tenant counts cached").isTrue();
        assertThat(redis.hasKey("stats:user:" + tenant + ":" + userId).block()).as("user counts cached").isTrue();

        feedback(DevTokens.mint(http, "analyst-1", tenant, List.of("ANALYST")), scanId, "CLEAN").expectStatus().isOk();

        counts("/api/v1/analytics/tenant").jsonPath("$.total").isEqualTo(2).jsonPath("$.clean").isEqualTo(1)
                .jsonPath("$.suspicious").isEqualTo(1).jsonPath("$.malicious").isEqualTo(0).jsonPath("$.feedback").isEqualTo(1);
        counts("/api/v1/analytics/users/" + userId).jsonPath("$.clean").isEqualTo(1).jsonPath("$.malicious").isEqualTo(0);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<?, ?> series = http.get().uri(builder -> builder.path("/api/v1/analytics/daily").queryParam("from", "{from}")
                        .queryParam("to", "{to}").build(now.minus(1, ChronoUnit.DAYS), now.plusSeconds(60)))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(List.of(daySum(series, "clean"), daySum(series, "suspicious"), daySum(series, "malicious")))
                .containsExactly(1L, 1L, 0L);
    }

    @Test
    void keysetPagingReturnsEveryScanExactlyOnceWhileNewOnesArrive() {
        Instant base = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        List<ScanResult> scans = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            // Ten scans share each second, so the _id tie-break is exercised on every page boundary.
            scans.add(new ScanResult("s-" + String.format("%05d", i), tenant, userId, "e-" + i, "a@x.example",
                    Verdict.CLEAN, Verdict.CLEAN, 0.1, List.of(), "m1", Map.of(), "bulk-" + i, "0".repeat(64),
                    base.plusSeconds(i / 10), false, base));
        }
        mongo.insertAll(scans).blockLast(Duration.ofSeconds(60));

        Set<String> seen = new HashSet<>();
        List<String> duplicates = new ArrayList<>();
        int arrivals = 0;
        String cursor = "";
        do {
            String current = cursor;
            Map<?, ?> page = http.get().uri(builder -> builder.path("/api/v1/scans").queryParam("size", 450)
                            .queryParam("cursor", "{c}").build(current))
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                    .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
            for (Object item : (List<?>) page.get("items")) {
                String id = ((Map<?, ?>) item).get("id").toString();
                if (!seen.add(id)) {
                    duplicates.add(id);
                }
            }
            ingest(scan("<arrival" + arrivals + "@x>", "CLEAN"), "arrival-" + arrivals++).expectStatus().isCreated();
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);

        assertThat(duplicates).isEmpty();
        assertThat(seen).containsAll(scans.stream().map(ScanResult::id).toList());
        assertThat(seen.stream().filter(id -> id.startsWith("s-"))).hasSize(5000);
    }

    @Test
    void aTamperedCursorIsABadRequest() {
        http.get().uri("/api/v1/scans?cursor=bm90LWEtY3Vyc29y.AAAAAAAAAAAAAAAAAAAAAA")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("cursor");
    }

    @Test
    void theAuditChainVerifiesAndAnEditedEntryIsPinpointed() {
        for (int i = 0; i < 5; i++) {
            ingest(scan("<chain" + i + "@x>", "MALICIOUS"), "chain-" + i).expectStatus().isCreated();
        }
        http.get().uri("/api/v1/admin/audit/verify").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.valid").isEqualTo(true).jsonPath("$.entries").isEqualTo(11);

        Mono.from(client.getDatabase(DATABASE).getCollection("audit_logs").updateOne(
                new Document("tenantId", tenant).append("seq", 4L), new Document("$set", new Document("actorId", "intruder"))))
                .block();

        http.get().uri("/api/v1/admin/audit/verify").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectBody().jsonPath("$.valid").isEqualTo(false).jsonPath("$.firstBrokenSeq").isEqualTo(4);
    }

    @Test
    void everyListQueryIsServedByAnIndex() {
        ingest(scan("<plan@x>", "MALICIOUS"), "plan").expectStatus().isCreated();
        Instant now = Instant.now();
        Position position = new Position(now, "zzz");
        List<Query> scanQueries = List.of(
                ScanRepository.scanPage(tenant, new ScanFilter(null, null, null, null, null, null, null), null, 0, 50),
                ScanRepository.scanPage(tenant, new ScanFilter(Verdict.MALICIOUS, null, null, null, null, null, null), null, 0, 50),
                ScanRepository.scanPage(tenant, new ScanFilter(null, 0.5, 1.0, null, null, null, null), null, 0, 50),
                ScanRepository.scanPage(tenant, new ScanFilter(null, null, null, "a@x.example", null, null, null), null, 0, 50),
                ScanRepository.scanPage(tenant, new ScanFilter(null, null, null, null, userId, null, null), null, 0, 50),
                ScanRepository.scanPage(tenant, new ScanFilter(null, null, null, null, null, now.minusSeconds(3600), now), null, 0, 50),
                ScanRepository.scanPage(tenant, new ScanFilter(Verdict.CLEAN, null, null, null, null, null, null), position, 0, 50),
                ScanRepository.scanPage(tenant, new ScanFilter(null, null, null, null, null, null, null, "<plan@x>", "e-1"), null, 0, 50),
                ScanRepository.emailByMessageId(tenant, "<plan@x>"));
        List<Query> emailQueries = List.of(
                ScanRepository.emailPage(tenant, new EmailFilter(null, null, null, null, null), null, 0, 50),
                ScanRepository.emailPage(tenant, new EmailFilter("a@x.example", null, null, null, null), null, 0, 50),
                ScanRepository.emailPage(tenant, new EmailFilter(null, "b@y.example", null, null, null), null, 0, 50),
                ScanRepository.emailPage(tenant, new EmailFilter(null, null, "invoice", null, null), null, 0, 50),
                ScanRepository.emailPage(tenant, new EmailFilter(null, null, null, null, null), position, 0, 50),
                ScanRepository.emailPage(tenant, new EmailFilter(null, null, null, null, null, "ab".repeat(32)), null, 0, 50));

        scanQueries.subList(0, scanQueries.size() - 1).forEach(query -> assertThat(Explain.stages(
                        Explain.winningPlan(mongo, query, ScanResult.class))).as(query.toString()).doesNotContain("COLLSCAN"));
        // The message's email: by the unique (tenantId, messageId) key.
        assertThat(Explain.winningPlan(mongo, scanQueries.get(scanQueries.size() - 1), EmailMeta.class).toJson())
                .contains("emails_tenant_message_unique");
        emailQueries.forEach(query -> assertThat(Explain.stages(Explain.winningPlan(mongo, query, EmailMeta.class)))
                .as(query.toString()).doesNotContain("COLLSCAN"));
        // The lookup by hash on the index made for it, without an in-memory sort. (The scans of a message are
        // few; the planner may read them by scans_tenant_email or by a tenant-and-time index: either is no COLLSCAN.)
        Document byHash = Explain.winningPlan(mongo, emailQueries.get(emailQueries.size() - 1), EmailMeta.class);
        assertThat(byHash.toJson()).contains("emails_tenant_sha256_received");
        assertThat(Explain.stages(byHash)).doesNotContain("SORT");
    }

    @Test
    void aScanIsFoundByItsMessageIdAndAnEmailByItsHashWithinTheTenantOnly() {
        String hash = "9f".repeat(32);
        Map<String, Object> request = new java.util.HashMap<>(scan("<lookup+tag@x>", "SUSPICIOUS"));
        @SuppressWarnings("unchecked")
        Map<String, Object> email = new java.util.HashMap<>((Map<String, Object>) request.get("email"));
        email.put("hashes", Map.of("sha256", hash));
        request.put("email", email);
        String scanId = ingest(request, "lookup").expectStatus().isCreated().expectBody(Map.class).returnResult()
                .getResponseBody().get("id").toString();
        ingest(scan("<other@x>", "CLEAN"), "other").expectStatus().isCreated();

        // A '+' (common in Message-IDs) must reach the service percent-encoded: a URI variable does that.
        http.get().uri(uri -> uri.path("/api/v1/scans").queryParam("messageId", "{m}").build("<lookup+tag@x>"))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.total").isEqualTo(1).jsonPath("$.items[0].id").isEqualTo(scanId);
        // Upper-case hex finds the same email: hashes are stored as the scanner sent them, in lower case.
        http.get().uri("/api/v1/emails?sha256=" + hash.toUpperCase(java.util.Locale.ROOT))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.total").isEqualTo(1).jsonPath("$.items[0].messageId").isEqualTo("<lookup+tag@x>");

        String otherAdmin = DevTokens.mint(http, "admin-2", tenant + "-other", List.of("ADMIN"));
        // A '+' (common in Message-IDs) must reach the service percent-encoded: a URI variable does that.
        http.get().uri(uri -> uri.path("/api/v1/scans").queryParam("messageId", "{m}").build("<lookup+tag@x>"))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + otherAdmin).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.total").isEqualTo(0);
        http.get().uri("/api/v1/emails?sha256=" + hash).header(HttpHeaders.AUTHORIZATION, "Bearer " + otherAdmin).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.total").isEqualTo(0);
        http.get().uri("/api/v1/emails?sha256=not-a-hash").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectStatus().isBadRequest();
    }

    private Map<String, Object> scan(String messageId, String verdict) {
        Instant received = Instant.now().minusSeconds(60);
        return Map.of("userId", userId,
                "email", Map.of("messageId", messageId, "sender", "a@x.example", "recipients", List.of("b@y.example"),
                        "subject", "Your invoice", "receivedAt", received.toString(), "sizeBytes", 1234),
                "result", Map.of("verdict", verdict, "score", "MALICIOUS".equals(verdict) ? 0.97 : 0.1,
                        "indicators", List.of(Map.of("type", "url", "value", "http://x.example/login", "weight", 0.8)),
                        "modelVersion", "m-2026.11", "timings", Map.of("totalMs", 42),
                        "scannedAt", received.plusSeconds(1).toString()));
    }

    private WebTestClient.ResponseSpec ingest(Map<String, Object> request, String key) {
        return http.post().uri("/api/v1/scans").header(HttpHeaders.AUTHORIZATION, "Bearer " + scanner)
                .header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON).bodyValue(request).exchange();
    }

    private WebTestClient.ResponseSpec feedback(String token, String scanId, String verdict) {
        return http.post().uri("/api/v1/scans/{id}/feedback", scanId).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("verdict", verdict)).exchange();
    }

    private WebTestClient.BodyContentSpec counts(String path) {
        return http.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectStatus().isOk().expectBody();
    }

    private Document tenantStats() {
        return Mono.from(client.getDatabase(DATABASE).getCollection("tenant_stats")
                .find(new Document("_id", tenant)).first()).block();
    }

    private long count(String collection) {
        return Mono.from(client.getDatabase(DATABASE).getCollection(collection)
                .countDocuments(new Document("tenantId", tenant))).block();
    }

    private Document userStats() {
        Document user = Mono.from(client.getDatabase(DATABASE).getCollection("users")
                .find(new Document("_id", userId)).first()).block();
        Document stats = user.get("stats", Document.class);
        for (String key : List.of("total", "clean", "suspicious", "malicious")) {
            stats.putIfAbsent(key, 0L);
            stats.put(key, ((Number) stats.get(key)).longValue());
        }
        return stats;
    }

    /** One verdict's scans over every day of a daily series (a test near midnight spans two days). */
    private static long daySum(Map<?, ?> series, String verdict) {
        return ((List<?>) series.get("days")).stream()
                .mapToLong(day -> ((Number) ((Map<?, ?>) day).get(verdict)).longValue()).sum();
    }

    /** Counts per verdict straight from scan_results, to compare with the incremented counters. */
    private Document recount() {
        Document counts = new Document();
        Flux.from(client.getDatabase(DATABASE).getCollection("scan_results").aggregate(List.of(
                        new Document("$match", new Document("tenantId", tenant)),
                        new Document("$group", new Document("_id", "$effectiveVerdict").append("n", new Document("$sum", 1))))))
                .doOnNext(group -> counts.put(group.getString("_id"), ((Number) group.get("n")).longValue()))
                .blockLast();
        return counts;
    }
}
