package com.phishnet.store.scans;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.reactivestreams.client.MongoClient;
import com.phishnet.store.audit.AuditEventType;
import com.phishnet.store.audit.AuditFields;
import com.phishnet.store.support.AppOnRealMongo;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.RealMongo;
import com.phishnet.store.support.RequiresRealMongo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/**
 * Bulk ingestion on a real replica set: a batch of 1,000 items mixing new scans, keys already used before the
 * batch, keys repeated inside it, keys reused for another scan and invalid items gets exactly the result each item
 * would get from the single route, and stores, audits and counts exactly the scans it created; a replay moves
 * nothing. Each test has a tenant of its own.
 */
@RequiresRealMongo
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("local")
class ScanBatchIT {

    private static final String DATABASE = RealMongo.newDatabaseName();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int ITEMS = 1000;
    private static final int EARLIER = ITEMS / 20;

    @Autowired
    WebTestClient http;
    @Autowired
    MongoClient client;
    @Autowired
    MeterRegistry meters;

    private String tenant;
    private String scanner;
    private String userId;
    /** The scan ids of the keys used before the batch, by key. */
    private final Map<String, String> earlier = new LinkedHashMap<>();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        AppOnRealMongo.register(registry, DATABASE);
    }

    @AfterAll
    static void dropDatabase(@Autowired MongoClient client) {
        AppOnRealMongo.drop(client, DATABASE);
    }

    @BeforeEach
    void tenantWithAUserAndFiftyScansIngestedOneByOne() {
        http = http.mutate().responseTimeout(Duration.ofMinutes(5)).build();
        tenant = "t" + RealMongo.newDatabaseName().substring(3);
        String admin = DevTokens.mint(http, "admin-1", tenant, List.of("ADMIN"));
        scanner = DevTokens.mint(http, "scanner-1", tenant, List.of(), "scans:write");
        userId = http.post().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", "ann@example.com", "role", "USER"))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("user") instanceof Map<?, ?> user
                ? user.get("id").toString() : null;
        earlier.clear();
        for (int j = 0; j < EARLIER; j++) {
            String key = "pre-" + j;
            Map<?, ?> created = http.post().uri("/api/v1/scans").header(HttpHeaders.AUTHORIZATION, "Bearer " + scanner)
                    .header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(scan("<pre-" + j + "@x>", "CLEAN", userId, 0))
                    .exchange().expectStatus().isCreated()
                    .expectBody(Map.class).returnResult().getResponseBody();
            earlier.put(key, created.get("id").toString());
        }
    }

    @Test
    void aThousandItemBatchGivesEveryItemTheResultTheSingleRouteWouldGive() {
        List<Map<String, Object>> items = thousandItems();

        JsonNode answer = postJson(items);

        List<String> statuses = new ArrayList<>();
        answer.path("results").forEach(result -> statuses.add(result.path("status").asString()));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            expected.add(expectedStatus(i));
        }
        assertThat(statuses).isEqualTo(expected);
        for (int i = 0; i < ITEMS; i++) {
            JsonNode result = answer.path("results").get(i);
            assertThat(result.path("index").asInt()).isEqualTo(i);
            switch (i % 20) {
                // A key used before the batch answers that scan; a key repeated in it answers the first item's scan.
                case 1 -> assertThat(result.path("scanId").asString()).isEqualTo(earlier.get("pre-" + i / 20));
                case 5 -> assertThat(result.path("scanId").asString())
                        .isEqualTo(answer.path("results").get(i - 3).path("scanId").asString());
                case 9, 13 -> assertThat(result.path("problem").path("status").asInt()).isEqualTo(409);
                case 17 -> assertThat(result.path("problem").path("status").asInt()).as("item %s", i)
                        .isEqualTo((i / 20) % 3 == 2 ? 404 : 400);
                default -> assertThat(result.path("scanId").asString()).isNotBlank();
            }
        }
        assertThat(answer.path("counts").toString()).isEqualTo(
                "{\"created\":750,\"duplicate\":100,\"invalid\":50,\"conflict\":100,\"failed\":0}");
    }

    @Test
    void aThousandItemBatchStoresAuditsAndCountsExactlyTheScansItCreated() {
        long auditBefore = count(AuditFields.COLLECTION);
        Map<String, Long> before = ingestedMetric();
        Map<String, Long> itemsBefore = batchItemsMetric();

        postJson(thousandItems());

        Map<Verdict, Long> created = createdVerdicts();
        long malicious = created.get(Verdict.MALICIOUS);
        assertThat(count("scan_results")).isEqualTo(EARLIER + 750);
        assertThat(count("emails_meta")).isEqualTo(EARLIER + 750);
        assertThat(count(AuditFields.COLLECTION) - auditBefore).isEqualTo(750 + malicious);
        assertThat(countAudit(AuditEventType.THREAT_DETECTED)).isEqualTo(malicious);
        Document stats = userStats();
        assertThat(stats.get("total", Number.class).longValue()).isEqualTo(EARLIER + 750);
        assertThat(stats.get("clean", Number.class).longValue()).isEqualTo(EARLIER + created.get(Verdict.CLEAN));
        assertThat(stats.get("suspicious", Number.class).longValue()).isEqualTo(created.get(Verdict.SUSPICIOUS));
        assertThat(stats.get("malicious", Number.class).longValue()).isEqualTo(malicious);
        assertThat(((Number) tenantStats().get("total")).longValue()).isEqualTo(EARLIER + 750);
        Map<String, Long> after = ingestedMetric();
        for (Verdict verdict : Verdict.values()) {
            assertThat(after.get(verdict.name()) - before.get(verdict.name())).as("%s ingested", verdict)
                    .isEqualTo(created.get(verdict));
        }
        // The expected split comes from the batch's own i % 20 scheme (expectedStatus), not from the answer.
        Map<String, Long> itemsAfter = batchItemsMetric();
        Map<String, Long> expected = new LinkedHashMap<>();
        ScanBatchRequests.STATUSES.forEach(status -> expected.put(status, 0L));
        for (int i = 0; i < ITEMS; i++) {
            expected.merge(expectedStatus(i), 1L, Long::sum);
        }
        for (String status : ScanBatchRequests.STATUSES) {
            assertThat(itemsAfter.get(status) - itemsBefore.get(status)).as("%s batch items", status)
                    .isEqualTo(expected.get(status));
        }
    }

    @Test
    void replayingTheBatchAnswersDuplicateForEveryStoredItemAndMovesNothing() {
        List<Map<String, Object>> items = thousandItems();
        JsonNode first = postJson(items);
        long scans = count("scan_results");
        long emails = count("emails_meta");
        long audit = count(AuditFields.COLLECTION);
        Document stats = userStats();
        Map<String, Long> metric = ingestedMetric();

        JsonNode replay = postJson(items);

        for (int i = 0; i < ITEMS; i++) {
            String was = first.path("results").get(i).path("status").asString();
            String now = replay.path("results").get(i).path("status").asString();
            assertThat(now).as("item %s, first %s", i, was)
                    .isEqualTo(was.equals("created") ? "duplicate" : was);
            if (was.equals("created") || was.equals("duplicate")) {
                assertThat(replay.path("results").get(i).path("scanId").asString())
                        .isEqualTo(first.path("results").get(i).path("scanId").asString());
            }
        }
        assertThat(replay.path("counts").path("created").asInt()).isZero();
        assertThat(count("scan_results")).isEqualTo(scans);
        assertThat(count("emails_meta")).isEqualTo(emails);
        assertThat(count(AuditFields.COLLECTION)).isEqualTo(audit);
        assertThat(userStats()).isEqualTo(stats);
        assertThat(ingestedMetric()).isEqualTo(metric);
    }

    @Test
    void anNdjsonBatchAnswersLineByLineAndStoresWhatItSaysItCreated() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            body.append(JSON.writeValueAsString(item("nd-" + i, scan("<nd-" + i + "@x>", "SUSPICIOUS", userId, i))))
                    .append('\n');
        }
        body.append("{not json\n");
        body.append(JSON.writeValueAsString(item("pre-0", scan("<pre-0@x>", "CLEAN", userId, 0)))).append('\n');
        body.append(JSON.writeValueAsString(item("nd-7", scan("<nd-7@x>", "SUSPICIOUS", userId, 7)))).append('\n');
        long before = count("scan_results");

        EntityExchangeResult<byte[]> result = http.post().uri("/api/v1/scans:batch")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + scanner)
                .contentType(MediaType.APPLICATION_NDJSON).bodyValue(body.toString())
                .exchange().expectStatus().isOk().expectBody().returnResult();
        List<JsonNode> lines = new String(result.getResponseBodyContent(), StandardCharsets.UTF_8).lines()
                .map(JSON::readTree).toList();

        assertThat(lines).hasSize(204);
        assertThat(lines.get(200).path("status").asString()).isEqualTo("invalid");
        assertThat(lines.get(201).path("scanId").asString()).isEqualTo(earlier.get("pre-0"));
        assertThat(lines.get(202).path("scanId").asString()).isEqualTo(lines.get(7).path("scanId").asString());
        assertThat(lines.get(203).path("counts").toString()).isEqualTo(
                "{\"created\":200,\"duplicate\":2,\"invalid\":1,\"conflict\":0,\"failed\":0}");
        assertThat(count("scan_results") - before).isEqualTo(200);
        assertThat(userStats().get("suspicious", Number.class).longValue()).isEqualTo(200);
    }

    @Test
    void aBatchItemAndASingleRequestWithTheSameKeyAndScanAreOneScan() {
        Map<String, Object> scan = scan("<both@x>", "MALICIOUS", userId, 1);
        String id = postJson(List.of(item("both", scan))).path("results").get(0).path("scanId").asString();

        http.post().uri("/api/v1/scans").header(HttpHeaders.AUTHORIZATION, "Bearer " + scanner)
                .header("Idempotency-Key", "both").contentType(MediaType.APPLICATION_JSON).bodyValue(scan)
                .exchange().expectStatus().isOk()
                .expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectBody().jsonPath("$.id").isEqualTo(id);
        assertThat(count("scan_results")).isEqualTo(EARLIER + 1);
    }

    // --- the batch ------------------------------------------------------------------------------------------

    /**
     * Item i by i % 20: 1 a key used before the batch with its scan (duplicate); 5 the key of item i - 3 with its
     * scan (duplicate); 9 a key used before the batch with another scan (conflict); 13 the key of item i - 1 with
     * another scan (conflict); 17 invalid: no userId (400), scanned in the future (400) or an unknown user (404, its
     * transaction aborted); otherwise a new scan, MALICIOUS, SUSPICIOUS or CLEAN by i.
     */
    private List<Map<String, Object>> thousandItems() {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            items.add(switch (i % 20) {
                case 1 -> item("pre-" + i / 20, scan("<pre-" + i / 20 + "@x>", "CLEAN", userId, 0));
                case 5 -> item("new-" + (i - 3), newScan(i - 3));
                case 9 -> item("pre-" + i / 20, scan("<other-" + i + "@x>", "CLEAN", userId, 0));
                case 13 -> item("new-" + (i - 1), scan("<other-" + i + "@x>", verdictOf(i - 1), userId, i));
                case 17 -> invalid(i);
                default -> item("new-" + i, newScan(i));
            });
        }
        return items;
    }

    private static String expectedStatus(int i) {
        return switch (i % 20) {
            case 1, 5 -> "duplicate";
            case 9, 13 -> "conflict";
            case 17 -> "invalid";
            default -> "created";
        };
    }

    private Map<String, Object> newScan(int i) {
        return scan("<new-" + i + "@x>", verdictOf(i), userId, i);
    }

    private Map<String, Object> invalid(int i) {
        return switch ((i / 20) % 3) {
            case 0 -> {
                Map<String, Object> scan = new LinkedHashMap<>(newScan(i));
                scan.remove("userId");
                yield item("bad-" + i, scan);
            }
            case 1 -> {
                Map<String, Object> scan = new LinkedHashMap<>(newScan(i));
                Map<String, Object> result = new LinkedHashMap<>(castMap(scan.get("result")));
                result.put("scannedAt", Instant.now().plus(Duration.ofDays(1)).toString());
                scan.put("result", result);
                yield item("bad-" + i, scan);
            }
            default -> item("bad-" + i, scan("<nobody-" + i + "@x>", "CLEAN", "no-such-user", i));
        };
    }

    private static String verdictOf(int i) {
        return i % 5 == 0 ? "MALICIOUS" : i % 3 == 0 ? "SUSPICIOUS" : "CLEAN";
    }

    /** The verdicts of the items the batch creates (the default case of {@link #thousandItems}). */
    private static Map<Verdict, Long> createdVerdicts() {
        Map<Verdict, Long> counts = new EnumMap<>(Verdict.class);
        for (Verdict verdict : Verdict.values()) {
            counts.put(verdict, 0L);
        }
        for (int i = 0; i < ITEMS; i++) {
            if (expectedStatus(i).equals("created")) {
                counts.merge(Verdict.valueOf(verdictOf(i)), 1L, Long::sum);
            }
        }
        return counts;
    }

    private static Map<String, Object> item(String key, Map<String, Object> scan) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("idempotencyKey", key);
        item.putAll(scan);
        return item;
    }

    /** A scan of a fixed moment per i, so the same i always makes the same request. */
    private static Map<String, Object> scan(String messageId, String verdict, String user, int i) {
        Instant received = Instant.parse("2026-11-01T00:00:00Z").plusSeconds(i);
        Map<String, Object> scan = new LinkedHashMap<>();
        if (user != null) {
            scan.put("userId", user);
        }
        scan.put("email", Map.of("messageId", messageId, "sender", "a@x.example", "recipients", List.of("b@y.example"),
                "subject", "Your invoice", "receivedAt", received.toString(), "sizeBytes", 1234));
        scan.put("result", Map.of("verdict", verdict, "score", "MALICIOUS".equals(verdict) ? 0.97 : 0.1,
                "modelVersion", "m-2026.11", "scannedAt", received.plusSeconds(1).toString()));
        return scan;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object map) {
        return (Map<String, Object>) map;
    }

    private JsonNode postJson(List<Map<String, Object>> items) {
        byte[] body = http.post().uri("/api/v1/scans:batch").header(HttpHeaders.AUTHORIZATION, "Bearer " + scanner)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("items", items))
                .exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBodyContent();
        return JSON.readTree(body);
    }

    // --- what is stored -------------------------------------------------------------------------------------

    private long count(String collection) {
        return Mono.from(client.getDatabase(DATABASE).getCollection(collection)
                .countDocuments(new Document("tenantId", tenant))).block();
    }

    private long countAudit(AuditEventType type) {
        return Mono.from(client.getDatabase(DATABASE).getCollection(AuditFields.COLLECTION)
                .countDocuments(new Document(AuditFields.TENANT_ID, tenant).append(AuditFields.EVENT_TYPE, type.name())))
                .block();
    }

    private Document tenantStats() {
        return Mono.from(client.getDatabase(DATABASE).getCollection("tenant_stats")
                .find(new Document("_id", tenant)).first()).block();
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

    /** phishnet.scans.batch.items by result status (every tenant: compared as a difference). */
    private Map<String, Long> batchItemsMetric() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String status : ScanBatchRequests.STATUSES) {
            Counter counter = meters.find(ScanMetrics.BATCH_ITEMS).tag("status", status).counter();
            counts.put(status, counter == null ? 0L : (long) counter.count());
        }
        return counts;
    }

    /** phishnet.scans.ingested by verdict, as the service counted it (every tenant: compared as a difference). */
    private Map<String, Long> ingestedMetric() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Verdict verdict : Verdict.values()) {
            Counter counter = meters.find(ScanMetrics.INGESTED).tag("verdict", ScanMetrics.tag(verdict)).counter();
            counts.put(verdict.name(), counter == null ? 0L : (long) counter.count());
        }
        return counts;
    }
}
