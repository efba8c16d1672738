package com.phishnet.store.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.phishnet.store.platform.crypto.FieldCipher;
import com.phishnet.store.platform.crypto.Sealed;
import com.phishnet.store.support.AppOnRealMongo;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.RealMongo;
import com.phishnet.store.support.RequiresRealMongo;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.types.Binary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
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
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * GDPR erasure on a real replica set, through the HTTP API: afterwards no collection of the database holds the
 * person's address, name or mailbox address in any letter case; credentials and tokens are gone; a re-POST is
 * harmless and completes an interrupted run; a legal hold refuses it with nothing changed.
 */
@RequiresRealMongo
@ActiveProfiles("local")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class UserErasureIT {

    private static final String DATABASE = RealMongo.newDatabaseName();
    private static final String EMAIL = "Ann.Person@Example.com";
    private static final String NAME = "Annabel Quixote-Person";
    private static final String MAILBOX = "ann.mailbox@provider.example";
    private static final String THIRD_PARTY = "eve@evil.example";

    @Autowired
    WebTestClient http;
    @Autowired
    MongoClient client;
    @Autowired
    FieldCipher cipher;

    private String tenant;
    private String admin;
    private String userId;
    private String pseudonym;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        AppOnRealMongo.register(registry, DATABASE);
    }

    @AfterAll
    static void dropDatabase(@Autowired MongoClient client) {
        AppOnRealMongo.drop(client, DATABASE);
    }

    /** An analyst with a credential, a refresh token, two scans (one self-sent) and a feedback comment. */
    @BeforeEach
    void tenantWithAPersonAndTheirRecords() {
        tenant = "t" + RealMongo.newDatabaseName().substring(3);
        admin = DevTokens.mint(http, "admin-1", tenant, List.of("ADMIN"));
        userId = createUser(EMAIL, NAME, MAILBOX);
        pseudonym = "erased-" + userId + "@erased.invalid";
        http.post().uri("/api/v1/users/{id}/refresh-tokens", userId).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().is2xxSuccessful();
        String phish = ingest(userId, "<m1@evil.example>", THIRD_PARTY, "MALICIOUS",
                "http://track.evil.example/o?u=" + EMAIL.toUpperCase(Locale.ROOT) + "&id=7");
        ingest(userId, "<m2@example.com>", EMAIL, "SUSPICIOUS", "http://ok.example");
        String analyst = DevTokens.mint(http, userId, tenant, List.of("ANALYST"));
        http.post().uri("/api/v1/scans/{id}/feedback", phish).header(HttpHeaders.AUTHORIZATION, "Bearer " + analyst)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("verdict", "MALICIOUS", "comment", NAME + " checked this one, " + EMAIL))
                .exchange().expectStatus().is2xxSuccessful();
        // Puts the user's counters into Redis when one is running (the report counts 0 without it).
        http.get().uri("/api/v1/analytics/users/{id}", userId).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isOk();
    }

    @Test
    void afterErasureNoCollectionHoldsTheAddressTheNameOrTheMailboxAddress() {
        assertThat(mentions(EMAIL)).as("the fixture holds the address before").isNotEmpty();

        @SuppressWarnings("unchecked")
        Map<String, Object> report = erase(userId, admin).expectStatus().isOk().expectBody(Map.class).returnResult()
                .getResponseBody();

        assertThat(report).containsEntry("userId", userId).containsEntry("credentialsDeleted", 1)
                .containsEntry("refreshTokensDeleted", 1).containsEntry("emailsPseudonymised", 2)
                .containsEntry("scansPseudonymised", 2).containsEntry("feedbackCleared", 1);
        assertThat(report.get("erasedAt")).isNotNull();
        for (String personal : List.of(EMAIL, NAME, MAILBOX)) {
            assertThat(mentions(personal)).as("collections still holding %s", personal).isEmpty();
        }
        assertThat(count("oauth_credentials", new Document("userId", userId))).isZero();
        assertThat(count("refresh_tokens", new Document("userId", userId))).isZero();
        Document user = first("users", new Document("_id", userId));
        assertThat(user).containsEntry("status", "ERASED").containsEntry("email", pseudonym)
                .containsEntry("emailNormalized", pseudonym).containsKey("erasedAt").doesNotContainKey("displayName");
        // Threat data stays: the third party's address, the tracking host, verdicts and counts.
        Document phishEmail = first("emails_meta", new Document("tenantId", tenant).append("messageId", "<m1@evil.example>"));
        assertThat(phishEmail).containsEntry("sender", THIRD_PARTY).containsEntry("recipients", List.of(pseudonym))
                .doesNotContainKey("subject");
        Document phishScan = first("scan_results", new Document("tenantId", tenant).append("sender", THIRD_PARTY));
        assertThat(phishScan.getList("indicators", Document.class).get(0).getString("value"))
                .isEqualTo("http://track.evil.example/o?u=" + pseudonym + "&id=7");
        assertThat(phishScan.getString("effectiveVerdict")).isEqualTo("MALICIOUS");
        assertThat(first("feedback", new Document("analystId", userId))).doesNotContainKey("comment")
                .containsEntry("correctedVerdict", "MALICIOUS");
        assertThat(user.get("stats", Document.class).get("total")).isIn(2, 2L);
        Document entry = first("erasures", new Document("tenantId", tenant).append("userId", userId));
        assertThat(entry).containsKeys("_id", "at", "completedAt").containsEntry("actor", "admin-1")
                .doesNotContainKey("pendingAddress");
        List<Document> audited = audited("USER_ERASED");
        assertThat(audited).hasSize(2);
        assertThat(audited).allSatisfy(event -> assertThat(event.get("details", Document.class))
                .containsEntry("reason", "data subject request 41"));
        // The entries the user acted in (the analyst's feedback) lost where they came from; the chain still verifies.
        List<Document> actedIn = Flux.from(collection("audit_logs").find(new Document("tenantId", tenant)
                .append("actorId", userId))).collectList().block();
        assertThat(actedIn).isNotEmpty().allSatisfy(logged -> assertThat(logged)
                .doesNotContainKeys("ip", "userAgent", "salt").containsKeys("personalDigest", "erasedAt"));
        assertThat(audited).as("the erasure's own entries are the admin's").allSatisfy(logged ->
                assertThat(logged).doesNotContainKey("erasedAt"));
        http.get().uri("/api/v1/admin/audit/verify").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.valid").isEqualTo(true);
    }

    @Test
    void aSecondPostIsHarmlessAndAnErasedUserGetsNothingNew() {
        String erasedAt = (String) erase(userId, admin).expectStatus().isOk().expectBody(Map.class).returnResult()
                .getResponseBody().get("erasedAt");

        erase(userId, admin).expectStatus().isOk().expectBody()
                .jsonPath("$.erasedAt").isEqualTo(erasedAt)
                .jsonPath("$.credentialsDeleted").isEqualTo(0).jsonPath("$.refreshTokensDeleted").isEqualTo(0)
                .jsonPath("$.emailsPseudonymised").isEqualTo(0).jsonPath("$.scansPseudonymised").isEqualTo(0)
                .jsonPath("$.feedbackCleared").isEqualTo(0);
        assertThat(count("erasures", new Document("userId", userId))).isEqualTo(1);
        assertThat(audited("USER_ERASED")).hasSize(4);
        // ERASED is final: no PATCH, no new scan (it would bring the address back), no credential, no token.
        http.patch().uri("/api/v1/users/{id}", userId).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("status", "ACTIVE"))
                .exchange().expectStatus().isEqualTo(409);
        http.patch().uri("/api/v1/users/{id}", userId).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("status", "ERASED"))
                .exchange().expectStatus().isBadRequest();
        ingestExpecting(userId, "<m3@example.com>", EMAIL, 409);
        http.post().uri("/api/v1/users/{id}/refresh-tokens", userId).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isEqualTo(409);
        assertThat(mentions(EMAIL)).isEmpty();
    }

    @Test
    void aPostAfterAnInterruptedRunCompletesItFromTheSealedPendingAddress() {
        erase(userId, admin).expectStatus().isOk();
        // As if the instance stopped after the account's transaction committed: the entry still pending, and
        // records of the user the pass had not reached yet.
        Document entry = first("erasures", new Document("tenantId", tenant).append("userId", userId));
        Sealed sealed = cipher.seal(EMAIL.toLowerCase(Locale.ROOT), ErasureService.pendingContext(tenant, entry.getString("_id")));
        Mono.from(collection("erasures").updateOne(new Document("_id", entry.getString("_id")),
                new Document("$set", new Document("pendingAddress", new Document("keyId", sealed.keyId())
                        .append("ciphertext", new Binary(sealed.ciphertext())))).append("$unset",
                        new Document("completedAt", "")))).block();
        Mono.from(collection("emails_meta").insertOne(new Document("_id", "e-late").append("tenantId", tenant)
                .append("userId", userId).append("messageId", "<late@example.com>")
                .append("sender", EMAIL.toLowerCase(Locale.ROOT)).append("senderDomain", "example.com")
                .append("recipients", List.of(EMAIL.toLowerCase(Locale.ROOT))).append("subject", "For " + NAME)
                .append("receivedAt", new Date()).append("createdAt", new Date()))).block();
        Mono.from(collection("scan_results").insertOne(new Document("_id", "s-late").append("tenantId", tenant)
                .append("userId", userId).append("emailId", "e-late").append("sender", EMAIL.toLowerCase(Locale.ROOT))
                .append("verdict", "CLEAN").append("effectiveVerdict", "CLEAN").append("score", 0.1)
                .append("indicators", List.of(new Document("type", "header").append("value", 42)))
                .append("scannedAt", new Date()).append("createdAt", new Date()))).block();

        erase(userId, admin).expectStatus().isOk().expectBody()
                .jsonPath("$.emailsPseudonymised").isEqualTo(1).jsonPath("$.scansPseudonymised").isEqualTo(1);

        for (String personal : List.of(EMAIL, NAME, MAILBOX)) {
            assertThat(mentions(personal)).as("collections still holding %s", personal).isEmpty();
        }
        assertThat(first("scan_results", new Document("_id", "s-late")).getList("indicators", Document.class).get(0)
                .get("value")).as("a value that is no string is left as it is").isEqualTo(42);
        assertThat(first("erasures", new Document("_id", entry.getString("_id"))))
                .containsKey("completedAt").doesNotContainKey("pendingAddress");
    }

    @Test
    void underALegalHoldErasureIsRefusedAndNothingChanges() {
        http.post().uri("/api/v1/admin/legal-holds").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("userId", userId, "reason", "case 17"))
                .exchange().expectStatus().isCreated();
        Map<String, List<String>> before = snapshot();

        erase(userId, admin).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("urn:phishnet:problem:legal-hold");

        assertThat(snapshot()).isEqualTo(before);
        assertThat(count("erasures", new Document("tenantId", tenant))).isZero();
        assertThat(audited("USER_ERASED")).isEmpty();
    }

    @Test
    void anotherTenantsAdminGets404AndAnOperatorErasesByNamingTheTenant() {
        String other = DevTokens.mint(http, "admin-9", "globex" + tenant, List.of("ADMIN"));
        erase(userId, other).expectStatus().isNotFound();
        assertThat(first("users", new Document("_id", userId))).containsEntry("status", "ACTIVE");

        String operator = DevTokens.mint(http, "ops-1", "ops" + tenant, List.of("ADMIN"), "service:operator");
        http.post().uri("/api/v1/admin/users/{id}/erasure?tenant={t}", userId, tenant)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + operator).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "regulator order")).exchange().expectStatus().isOk();

        assertThat(first("erasures", new Document("tenantId", tenant).append("userId", userId)))
                .containsEntry("actor", "ops-1").containsEntry("actorTenant", "ops" + tenant);
        assertThat(audited("USER_ERASED")).allSatisfy(event -> assertThat(event.get("details", Document.class))
                .containsEntry("actorTenant", "ops" + tenant));
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private WebTestClient.ResponseSpec erase(String id, String token) {
        return http.post().uri("/api/v1/admin/users/{id}/erasure", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("reason", "data subject request 41")).exchange();
    }

    private String createUser(String email, String name, String mailbox) {
        Map<?, ?> created = http.post().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "displayName", name, "role", "ANALYST",
                        "credentials", List.of(Map.of("provider", "GOOGLE", "accountEmail", mailbox,
                                "accessToken", "ya29.erasure-it", "refreshToken", "1//erasure-it"))))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        return ((Map<?, ?>) created.get("user")).get("id").toString();
    }

    private String ingest(String user, String messageId, String sender, String verdict, String indicator) {
        return http.post().uri("/api/v1/scans").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(scan(user, messageId, sender, verdict, indicator))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id").toString();
    }

    private void ingestExpecting(String user, String messageId, String sender, int status) {
        http.post().uri("/api/v1/scans").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(scan(user, messageId, sender, "CLEAN", "http://x.example"))
                .exchange().expectStatus().isEqualTo(status);
    }

    private static Map<String, Object> scan(String user, String messageId, String sender, String verdict, String indicator) {
        return Map.of("userId", user,
                "email", Map.of("messageId", messageId, "sender", sender, "recipients", List.of(EMAIL, "bob@example.com"),
                        "subject", "Payslip for " + NAME, "receivedAt", "2026-01-01T00:00:00Z", "sizeBytes", 1024),
                "result", Map.of("verdict", verdict, "score", 0.9, "modelVersion", "m-1",
                        "indicators", List.of(Map.of("type", "url", "value", indicator, "weight", 0.5)),
                        "scannedAt", "2026-01-01T00:00:01Z"));
    }

    /**
     * Every collection of the database whose raw BSON, as relaxed JSON, contains the text in any letter case: the
     * whole database is searched, not the collections erasure knows about.
     */
    private List<String> mentions(String text) {
        String needle = text.toLowerCase(Locale.ROOT);
        List<String> found = new ArrayList<>();
        for (String name : Flux.from(database().listCollectionNames()).collectList().block()) {
            if (name.startsWith("system.")) {
                continue;
            }
            List<RawBsonDocument> documents = Flux.from(database().getCollection(name, RawBsonDocument.class).find())
                    .collectList().block();
            for (RawBsonDocument document : documents) {
                if (document.toJson().toLowerCase(Locale.ROOT).contains(needle)) {
                    found.add(name + ": " + document.get("_id"));
                }
            }
        }
        return found;
    }

    /** Every document of the tenant's data collections, as JSON: compared before and after a refused request. */
    private Map<String, List<String>> snapshot() {
        Map<String, List<String>> all = new java.util.TreeMap<>();
        for (String name : List.of("users", "oauth_credentials", "refresh_tokens", "emails_meta", "scan_results",
                "feedback", "erasures", "audit_logs")) {
            all.put(name, Flux.from(collection(name).find(new Document("tenantId", tenant))).map(Document::toJson)
                    .collectList().block());
        }
        return all;
    }

    private List<Document> audited(String eventType) {
        return Flux.from(collection("audit_logs").find(new Document("tenantId", tenant).append("eventType", eventType)))
                .collectList().block();
    }

    private Document first(String name, Document filter) {
        return Flux.from(collection(name).find(filter)).blockFirst();
    }

    private long count(String name, Document filter) {
        return Mono.from(collection(name).countDocuments(filter)).block();
    }

    private MongoCollection<Document> collection(String name) {
        return database().getCollection(name);
    }

    private MongoDatabase database() {
        return client.getDatabase(DATABASE);
    }
}
