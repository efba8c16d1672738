package com.phishnet.store.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.mongodb.reactivestreams.client.MongoClient;
import com.phishnet.store.platform.crypto.KeyedHash;
import com.phishnet.store.support.AppOnRealMongo;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.Explain;
import com.phishnet.store.support.RealMongo;
import com.phishnet.store.support.RequiresRealMongo;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * API keys on a real replica set, through the whole application: a key ingests scans with its scope; revoked, it
 * is refused by the very next request; an expired key is refused; a rotation's grace keeps the old key working and
 * no grace ends it at once; recorded uses land as lastUsedAt with the flush; and the lookup every request makes is
 * an index read on the unique prefix. Each test uses a tenant of its own.
 */
@RequiresRealMongo
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "phishnet.rate-limit.enabled=false",
        // The tests flush themselves; no scheduled flush may land between a request and its assertion.
        "phishnet.api-keys.last-used-flush-interval=1h"})
@AutoConfigureWebTestClient
@ActiveProfiles("local")
class ApiKeysIT {

    private static final String DATABASE = RealMongo.newDatabaseName();
    private static final String KEY_HEADER = "X-API-Key";

    @Autowired
    WebTestClient http;
    @Autowired
    ReactiveMongoTemplate mongo;
    @Autowired
    KeyedHash apiKeyHashes;
    @Autowired
    ApiKeyUses uses;

    private String tenant;
    private String admin;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        AppOnRealMongo.register(registry, DATABASE);
    }

    @AfterAll
    static void dropDatabase(@Autowired MongoClient client) {
        AppOnRealMongo.drop(client, DATABASE);
    }

    @BeforeEach
    void tenantAndAdmin() {
        tenant = "keys-" + UUID.randomUUID().toString().substring(0, 8);
        admin = DevTokens.mint(http, "admin-1", tenant, List.of("ADMIN"));
    }

    @Test
    void aKeyRevokedMidFlightStopsWorkingWithTheVeryNextRequest() {
        Map<String, Object> created = create("scanner eu-1", null);
        String key = created.get("key").toString();
        ingest(key, "<a1@example.com>").expectStatus().isCreated();

        http.delete().uri("/api/v1/api-keys/{id}", created.get("id")).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isNoContent();

        ingest(key, "<a2@example.com>").expectStatus().isUnauthorized()
                .expectHeader().contentType("application/problem+json");
        assertThat(scansOfTenant()).isEqualTo(1);
        assertThat(auditTypes(created.get("id").toString())).containsExactly("API_KEY_CREATED", "API_KEY_REVOKED");
    }

    @Test
    void theScanAKeyIngestsBelongsToTheKeysTenantAndIsAuditedAsTheKey() {
        Map<String, Object> created = create("scanner eu-2", null);

        ingest(created.get("key").toString(), "<b1@example.com>").expectStatus().isCreated();

        Document audit = Mono.from(mongo.getCollection("audit_logs").flatMap(collection -> Mono.from(collection
                .find(new Document("tenantId", tenant).append("eventType", "SCAN_INGESTED")).first()))).block();
        assertThat(audit.getString("actorId")).isEqualTo("api-key:" + created.get("id"));
    }

    @Test
    void anExpiredKeyIsRefused() {
        ApiKeyFormat.Generated generated = ApiKeyFormat.generate(new SecureRandom());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String id = UUID.randomUUID().toString();
        // As the service stores a key, first with an expiry ahead: the positive control, the key as such works.
        mongo.insert(new ApiKey(id, tenant, "expired", generated.prefix(),
                apiKeyHashes.of(generated.key()), List.of("scans:write"), "admin-1", now.minusSeconds(3600),
                now.plusSeconds(3600), null, null, null, null, null)).block();
        ingest(generated.key(), "<c0@example.com>").expectStatus().isCreated();
        assertThat(scansOfTenant()).isEqualTo(1);

        // Then with an expiry just passed (the API accepts only future expiries): the same key is refused.
        Mono.from(mongo.getCollection(ApiKeyFields.COLLECTION).flatMap(collection -> Mono.from(collection.updateOne(
                new Document(ApiKeyFields.ID, id), new Document("$set", new Document(ApiKeyFields.EXPIRES_AT,
                        java.util.Date.from(now.minusSeconds(1)))))))).block();

        ingest(generated.key(), "<c1@example.com>").expectStatus().isUnauthorized();
        assertThat(scansOfTenant()).isEqualTo(1);
    }

    @Test
    void aRotationsGraceKeepsTheOldKeyWorkingAndNoGraceEndsItAtOnce() {
        Map<String, Object> first = create("scanner eu-3", null);
        Map<String, Object> second = rotate(first.get("id").toString(), 3600);

        ingest(first.get("key").toString(), "<d1@example.com>").expectStatus().isCreated();
        ingest(second.get("key").toString(), "<d2@example.com>").expectStatus().isCreated();
        Document old = stored(first.get("id").toString());
        assertThat(old.getString("rotatedTo")).isEqualTo(second.get("id"));
        assertThat(old.getDate("expiresAt").toInstant()).isBetween(Instant.now().plusSeconds(3500),
                Instant.now().plusSeconds(3601));
        assertThat(stored(second.get("id").toString()).getString("rotatedFrom")).isEqualTo(first.get("id"));

        Map<String, Object> third = rotate(second.get("id").toString(), 0);

        ingest(second.get("key").toString(), "<d3@example.com>").expectStatus().isUnauthorized();
        ingest(third.get("key").toString(), "<d4@example.com>").expectStatus().isCreated();
        // The first key was rotated already: its successor is the one to rotate.
        http.post().uri("/api/v1/api-keys/{id}/rotate", first.get("id")).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange().expectStatus().isEqualTo(409);
        assertThat(auditTypes(second.get("id").toString())).containsExactly("API_KEY_ROTATED");
    }

    @Test
    void recordedUsesLandAsLastUsedAtWithTheFlushAndNeverMoveItBack() {
        Map<String, Object> created = create("scanner eu-4", null);
        String id = created.get("id").toString();
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ingest(created.get("key").toString(), "<e1@example.com>").expectStatus().isCreated();
        assertThat(stored(id)).doesNotContainKey("lastUsedAt");

        uses.flush().block(Duration.ofSeconds(10));

        Instant lastUsed = stored(id).getDate("lastUsedAt").toInstant();
        assertThat(lastUsed).isBetween(before, Instant.now());
        uses.record(tenant, id, lastUsed.minusSeconds(600));
        uses.flush().block(Duration.ofSeconds(10));
        assertThat(stored(id).getDate("lastUsedAt").toInstant()).isEqualTo(lastUsed);
    }

    @Test
    void theLookupOfEveryRequestIsAnIndexReadOnTheUniquePrefix() {
        Map<String, Object> created = create("scanner eu-5", null);

        Document plan = Explain.winningPlan(mongo, ApiKeyRepository.byPrefixQuery(created.get("prefix").toString()),
                ApiKey.class);

        assertThat(Explain.stages(plan)).doesNotContain("COLLSCAN");
        assertThat(plan.toJson()).contains(ApiKeyFields.PREFIX_INDEX);
    }

    @Test
    void theListShowsTheTenantsKeysNewestFirstWithoutSecrets() {
        create("older", null);
        create("newer", null);

        String body = http.get().uri("/api/v1/api-keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        Map<?, ?> keyset = http.get().uri("/api/v1/api-keys?cursor=&size=1")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();

        assertThat(body).doesNotContain("\"key\"").doesNotContain("\"hash\"").contains("\"total\":2");
        // Created one after the other: the newer first (a tie in milliseconds would fall back to _id order).
        assertThat(body.indexOf("\"newer\"")).isLessThan(body.indexOf("\"older\"")).isPositive();
        assertThat((List<?>) keyset.get("items")).hasSize(1);
        assertThat(keyset.get("nextCursor")).isNotNull();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> create(String name, Instant expiresAt) {
        Map<String, Object> body = expiresAt == null ? Map.of("name", name, "scopes", List.of("scans:write"))
                : Map.of("name", name, "scopes", List.of("scans:write"), "expiresAt", expiresAt.toString());
        return http.post().uri("/api/v1/api-keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> rotate(String id, long graceSeconds) {
        return http.post().uri("/api/v1/api-keys/{id}/rotate", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("graceSeconds", graceSeconds))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
    }

    private WebTestClient.ResponseSpec ingest(String key, String messageId) {
        return http.post().uri("/api/v1/scans").header(KEY_HEADER, key).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("userId", "u-1",
                        "email", Map.of("messageId", messageId, "sender", "eve@evil.example",
                                "recipients", List.of("ann@example.com"),
                                "receivedAt", Instant.now().minusSeconds(60).toString(), "sizeBytes", 100),
                        "result", Map.of("verdict", "MALICIOUS", "score", 0.9, "modelVersion", "m-1",
                                "scannedAt", Instant.now().minusSeconds(30).toString())))
                .exchange();
    }

    private Document stored(String id) {
        return Mono.from(mongo.getCollection(ApiKeyFields.COLLECTION).flatMap(collection -> Mono.from(
                collection.find(new Document("_id", id)).first()))).block();
    }

    private long scansOfTenant() {
        return mongo.getCollection("scan_results").flatMap(collection -> Mono.from(
                collection.countDocuments(new Document("tenantId", tenant)))).block();
    }

    private List<String> auditTypes(String keyId) {
        return mongo.getCollection("audit_logs").flatMapMany(collection -> Flux.from(collection
                        .find(new Document("tenantId", tenant).append("targetId", keyId)).sort(new Document("seq", 1))))
                .map(entry -> entry.getString("eventType")).collectList().block();
    }
}
