package com.phishnet.store.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.verify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.phishnet.store.audit.AuditChain;
import com.phishnet.store.audit.AuditEntry;
import com.phishnet.store.audit.AuditEventType;
import com.phishnet.store.audit.AuditService;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.AppOnRealMongo;
import com.phishnet.store.support.OffsetClock;
import com.phishnet.store.support.RealMongo;
import com.phishnet.store.support.RequiresRealMongo;
import com.phishnet.store.tokens.RefreshTokenOwners;
import org.bson.Document;
import org.bson.types.Binary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.test.context.ActiveProfiles;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Users, credentials, refresh tokens and the audit chain through the HTTP API, on a real replica set:
 * atomicity, encryption at rest, ciphertext binding, token reuse and tenant isolation.
 */
@RequiresRealMongo
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("local")
class IdentityIT {

    private static final String DATABASE = RealMongo.newDatabaseName();
    private static final OffsetClock CLOCK = new OffsetClock();

    @Autowired
    WebTestClient http;
    @LocalServerPort
    int port;
    @Autowired
    MongoClient client;
    @Autowired
    ReactiveMongoTemplate mongo;
    @MockitoSpyBean
    AuditService audit;
    @MockitoSpyBean
    RefreshTokenOwners owners;
    @TestBean(methodName = "applicationClock")
    Clock clock;

    private String tenant;
    private String admin;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        AppOnRealMongo.register(registry, DATABASE);
    }

    /** The application's clock: real time unless a test jumps ahead (reset after each test). */
    static Clock applicationClock() {
        return CLOCK;
    }

    @AfterEach
    void resetClock() {
        CLOCK.reset();
    }

    @AfterAll
    static void dropDatabase(@Autowired MongoClient client) {
        AppOnRealMongo.drop(client, DATABASE);
    }

    /** A tenant of its own per test, so tests share a database but never data. */
    @BeforeEach
    void newTenant() {
        tenant = "t" + RealMongo.newDatabaseName().substring(3);
        admin = DevTokens.mint(http, "admin-1", tenant, List.of("ADMIN"));
    }

    @Test
    void creatingAUserWithCredentialsLeavesNothingWhenALaterWriteFails() {
        doReturn(Mono.error(new IllegalStateException("injected after the user and credential writes")))
                .when(audit).record(argThat(event -> event != null && event.type() == AuditEventType.CREDENTIAL_STORED));

        createUser(admin, "ann@example.com", List.of(credential("GOOGLE", "ya29.atomic"))).expectStatus().is5xxServerError();

        assertThat(count("users")).isZero();
        assertThat(count("oauth_credentials")).isZero();
        assertThat(count("audit_logs")).isZero();
    }

    @Test
    void theStoredCredentialContainsNoPlaintext() {
        String userId = createdUserId("bob@example.com", List.of(Map.of("provider", "GOOGLE",
                "accountEmail", "Bob.Mail@Example.com", "accessToken", "ya29.PLAINTEXT-MARKER",
                "refreshToken", "1//REFRESH-MARKER", "scopes", List.of("gmail.readonly"))));

        Document raw = Flux.from(collection("oauth_credentials").find(new Document("userId", userId))).blockFirst();

        assertThat(raw.toJson()).doesNotContain("PLAINTEXT-MARKER", "REFRESH-MARKER", "Bob.Mail", "bob.mail");
        Document accessToken = raw.get("accessToken", Document.class);
        assertThat(accessToken.getString("keyId")).isNotBlank();
        assertThat(accessToken.get("ciphertext")).isInstanceOf(Binary.class);
        assertThat(raw.getString("accountBlindIndex")).hasSize(43);
    }

    @Test
    void theOwningServiceReadsTheSecretAndTheReadIsAudited() {
        String userId = createdUserId("cid@example.com", List.of(credential("MICROSOFT", "eyJ0.secret-value")));
        String credentialId = credentialIds(userId).get(0);
        String service = DevTokens.mint(http, "mail-sync", tenant, List.of(), "credentials:read-secret");

        http.get().uri("/api/v1/users/{u}/credentials/{c}/secret", userId, credentialId).header(HttpHeaders.AUTHORIZATION,
                        "Bearer " + service).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.accessToken").isEqualTo("eyJ0.secret-value");

        assertThat(auditTypes()).contains(AuditEventType.CREDENTIAL_SECRET_READ.name());
    }

    @Test
    void aCiphertextMovedToAnotherCredentialFailsToDecrypt() {
        String first = createdUserId("dee@example.com", List.of(credential("GOOGLE", "ya29.first-secret")));
        String second = createdUserId("eve@example.com", List.of(credential("GOOGLE", "ya29.second-secret")));
        String secondCredential = credentialIds(second).get(0);
        Document firstRaw = Flux.from(collection("oauth_credentials").find(new Document("userId", first))).blockFirst();
        Mono.from(collection("oauth_credentials").updateOne(new Document("_id", secondCredential),
                new Document("$set", new Document("accessToken", firstRaw.get("accessToken"))))).block();
        String service = DevTokens.mint(http, "mail-sync", tenant, List.of(), "credentials:read-secret");

        http.get().uri("/api/v1/users/{u}/credentials/{c}/secret", second, secondCredential)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + service).exchange()
                .expectStatus().is5xxServerError()
                .expectBody(String.class).value(body -> assertThat(body).doesNotContain("first-secret", "second-secret"));
    }

    @Test
    void reusingARotatedRefreshTokenRevokesItsWholeFamily() {
        String userId = createdUserId("fay@example.com", List.of());
        String first = issueRefreshToken(userId);
        String second = rotate(first).expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody()
                .get("token").toString();

        rotate(first).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:phishnet:problem:invalid-grant");
        rotate(second).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").isEqualTo("The refresh token has been revoked.");

        assertThat(auditTypes()).contains(AuditEventType.REFRESH_TOKEN_REUSE_DETECTED.name());
    }

    @Test
    void aRefreshTokenPastItsExpiryIsRefusedBeforeTheTtlMonitorDeletesIt() {
        String userId = createdUserId("gus@example.com", List.of());
        String token = issueRefreshToken(userId);
        Date storedExpiry = Flux.from(collection("refresh_tokens").find(new Document("tenantId", tenant))).blockFirst()
                .getDate("expiresAt");
        // The service's clock passes the expiry; the stored expiry stays in the future, so the TTL monitor
        // cannot delete the token first and turn this into a "not found".
        CLOCK.jump(Duration.between(Instant.now(), storedExpiry.toInstant()).plusSeconds(5));
        // Bearer tokens are checked against the same clock: the one minted before the jump has expired too.
        admin = DevTokens.mint(http, "admin-1", tenant, List.of("ADMIN"));

        rotate(token).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").isEqualTo("The refresh token has expired.");
    }

    @Test
    void anotherTenantsIdsAreNotFound() {
        String userId = createdUserId("hal@example.com", List.of(credential("GOOGLE", "ya29.tenant-a")));
        String credentialId = credentialIds(userId).get(0);
        String otherAdmin = DevTokens.mint(http, "admin-9", tenant + "-other", List.of("ADMIN"),
                "credentials:read-secret");

        http.get().uri("/api/v1/users/{id}", userId).header(HttpHeaders.AUTHORIZATION, "Bearer " + otherAdmin).exchange()
                .expectStatus().isNotFound();
        http.patch().uri("/api/v1/users/{id}", userId).header(HttpHeaders.AUTHORIZATION, "Bearer " + otherAdmin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("role", "ADMIN")).exchange()
                .expectStatus().isNotFound();
        http.delete().uri("/api/v1/users/{id}", userId).header(HttpHeaders.AUTHORIZATION, "Bearer " + otherAdmin).exchange()
                .expectStatus().isNotFound();
        http.get().uri("/api/v1/users/{id}/credentials", userId).header(HttpHeaders.AUTHORIZATION, "Bearer " + otherAdmin)
                .exchange().expectStatus().isNotFound();
        http.get().uri("/api/v1/users/{u}/credentials/{c}/secret", userId, credentialId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + otherAdmin).exchange().expectStatus().isNotFound();
        http.get().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + otherAdmin).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.total").isEqualTo(0);

        http.get().uri("/api/v1/users/{id}", userId).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectBody().jsonPath("$.role").isEqualTo("USER").jsonPath("$.status").isEqualTo("ACTIVE");
    }

    @Test
    void emailIsUniquePerTenantRegardlessOfCase() {
        createdUserId("Ivy@Example.com", List.of());

        createUser(admin, "ivy@example.COM", List.of()).expectStatus().isEqualTo(409);
        String otherAdmin = DevTokens.mint(http, "admin-9", tenant + "-other", List.of("ADMIN"));
        createUser(otherAdmin, "ivy@example.com", List.of()).expectStatus().isCreated();
    }

    @Test
    void deactivatingAUserRevokesTheirCredentialsAndRefreshTokens() {
        String userId = createdUserId("jo@example.com", List.of(credential("GOOGLE", "ya29.jo")));
        String token = issueRefreshToken(userId);

        http.delete().uri("/api/v1/users/{id}", userId).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectStatus().isNoContent();

        http.get().uri("/api/v1/users/{id}/credentials", userId).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectBody().jsonPath("$[0].status").isEqualTo("REVOKED");
        rotate(token).expectStatus().isBadRequest();
    }

    @ParameterizedTest
    @EnumSource(value = UserStatus.class, names = {"DEACTIVATED", "SUSPENDED"})
    void aUserWhoIsNotActiveIsGivenNoCredentialAndNoRefreshTokenAndNothingIsWritten(UserStatus status) {
        String userId = createdUserId("ned@example.com", List.of());
        http.patch().uri("/api/v1/users/{id}", userId).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("status", status.name())).exchange()
                .expectStatus().isOk();
        Map<String, List<String>> before = documents("users", "oauth_credentials", "refresh_tokens", "audit_logs");

        http.post().uri("/api/v1/users/{id}/credentials", userId).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(credential("GOOGLE", "ya29.too-late")).exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.detail").isEqualTo("User " + userId + " is " + status + ".");
        http.post().uri("/api/v1/users/{id}/refresh-tokens", userId).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.detail").isEqualTo("User " + userId + " is " + status + ".");

        assertThat(documents("users", "oauth_credentials", "refresh_tokens", "audit_logs")).isEqualTo(before);
    }

    @Test
    void aUserRevokesTheirOwnRefreshToken() {
        String userId = createdUserId("kim@example.com", List.of());
        String tokenId = issuedToken(userId).get("id").toString();
        String user = DevTokens.mint(http, userId, tenant, List.of("USER"));

        revokeRefreshToken(user, tokenId).expectStatus().isNoContent();

        assertThat(storedRefreshToken(tokenId).getString("status")).isEqualTo("REVOKED");
        assertThat(auditEntries(AuditEventType.REFRESH_TOKEN_REVOKED)).singleElement()
                .satisfies(entry -> assertThat(entry.getString("actorId")).isEqualTo(userId))
                .satisfies(entry -> assertThat(entry.getString("targetId")).isEqualTo(tokenId));
    }

    @Test
    void aUserCannotRevokeAnotherUsersRefreshTokenInTheirTenant() {
        String holderId = createdUserId("lea@example.com", List.of());
        String tokenId = issuedToken(holderId).get("id").toString();
        String otherId = createdUserId("max@example.com", List.of());

        revokeRefreshTokenIsRefused(otherId, tokenId);
    }

    /** The owner lookup of the route's rule broken (it finds no token): the revoke's own transaction still refuses. */
    @Test
    void anOwnerLookupThatFindsNothingStillLetsNoUserRevokeAnotherUsersRefreshToken() {
        String holderId = createdUserId("nia@example.com", List.of());
        String tokenId = issuedToken(holderId).get("id").toString();
        String otherId = createdUserId("oto@example.com", List.of());
        doReturn(Mono.empty()).when(owners).ownerOf(any(), any());

        revokeRefreshTokenIsRefused(otherId, tokenId);
        // The broken lookup was really asked, so the refusal came from the revoke's transaction, not the route.
        verify(owners).ownerOf(any(), eq(tokenId));
    }

    /** Its subject is the holder's id, which the owner rule alone would accept: only the tenant filters refuse. */
    @Test
    void aUserOfAnotherTenantBearingTheHoldersIdGetsNotFoundAndTheTokenIsUntouched() {
        String holderId = createdUserId("pia@example.com", List.of());
        String tokenId = issuedToken(holderId).get("id").toString();
        Document before = storedRefreshToken(tokenId);
        String namesake = DevTokens.mint(http, holderId, tenant + "-other", List.of("USER"));

        revokeRefreshToken(namesake, tokenId).expectStatus().isNotFound();

        assertThat(storedRefreshToken(tokenId)).isEqualTo(before);
        // In any tenant: a wrong revoke would be audited under the caller's tenant, not the holder's.
        assertThat(Flux.from(collection("audit_logs").find(new Document("eventType",
                AuditEventType.REFRESH_TOKEN_REVOKED.name()).append("targetId", tokenId))).collectList().block()).isEmpty();
    }

    @Test
    void concurrentChangesKeepOneUnbrokenAuditChain() {
        // A non-blocking client, so the 20 requests really are in flight together.
        WebClient client = WebClient.create("http://localhost:" + port);
        List<Integer> statuses = Flux.range(0, 20)
                .flatMap(i -> client.post().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("email", "user" + i + "@example.com", "role", "USER",
                                "credentials", List.of(credential("GOOGLE", "ya29." + i))))
                        .exchangeToMono(response -> Mono.just(response.statusCode().value())), 20)
                .collectList()
                .block(java.time.Duration.ofSeconds(60));

        assertThat(statuses).hasSize(20).containsOnly(201);

        List<AuditEntry> chain = mongo.find(Query.query(Criteria.where("tenantId").is(tenant))
                .with(Sort.by("seq")), AuditEntry.class).collectList().block();

        assertThat(chain).hasSize(40);
        assertThat(chain).extracting(AuditEntry::seq).containsExactlyElementsOf(
                IntStream.rangeClosed(1, 40).mapToObj(Long::valueOf).toList());
        for (int i = 0; i < chain.size(); i++) {
            assertThat(AuditChain.hash(chain.get(i))).isEqualTo(chain.get(i).hash());
            assertThat(chain.get(i).prevHash()).isEqualTo(i == 0 ? null : chain.get(i - 1).hash());
        }
    }

    private WebTestClient.ResponseSpec createUser(String token, String email, List<Map<String, Object>> credentials) {
        return http.post().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "role", "USER", "credentials", credentials))
                .exchange();
    }

    @SuppressWarnings("unchecked")
    private String createdUserId(String email, List<Map<String, Object>> credentials) {
        Map<String, Object> body = createUser(admin, email, credentials).expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        return ((Map<String, Object>) body.get("user")).get("id").toString();
    }

    @SuppressWarnings("unchecked")
    private List<String> credentialIds(String userId) {
        List<Map<String, Object>> views = http.get().uri("/api/v1/users/{id}/credentials", userId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectStatus().isOk().expectBody(List.class).returnResult().getResponseBody();
        return views.stream().map(view -> view.get("id").toString()).toList();
    }

    private String issueRefreshToken(String userId) {
        return issuedToken(userId).get("token").toString();
    }

    /** A new family for the user, issued by the admin: the token's id, secret and family. */
    private Map<?, ?> issuedToken(String userId) {
        return http.post().uri("/api/v1/users/{id}/refresh-tokens", userId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
    }

    private WebTestClient.ResponseSpec revokeRefreshToken(String bearer, String tokenId) {
        return http.delete().uri("/api/v1/refresh-tokens/{id}", tokenId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + bearer).exchange();
    }

    /** As before the rule moved out of the service: 403 with the same detail, audited, and the token still active. */
    private void revokeRefreshTokenIsRefused(String callerId, String tokenId) {
        String caller = DevTokens.mint(http, callerId, tenant, List.of("USER"));

        revokeRefreshToken(caller, tokenId).expectStatus().isForbidden()
                .expectBody().jsonPath("$.detail").isEqualTo("This action needs one of the roles [ADMIN]");

        assertThat(storedRefreshToken(tokenId).getString("status")).isEqualTo("ACTIVE");
        assertThat(auditEntries(AuditEventType.REFRESH_TOKEN_REVOKED)).isEmpty();
        assertThat(auditEntries(AuditEventType.ACCESS_DENIED)).singleElement().satisfies(entry -> {
            assertThat(entry.getString("actorId")).isEqualTo(callerId);
            assertThat(entry.getString("targetId")).isEqualTo("DELETE /api/v1/refresh-tokens/" + tokenId);
            assertThat(entry.get("details", Document.class).getString("reason"))
                    .isEqualTo("This action needs one of the roles [ADMIN]");
        });
    }

    private Document storedRefreshToken(String tokenId) {
        return Mono.from(collection("refresh_tokens").find(new Document("_id", tokenId)).first()).block();
    }

    private WebTestClient.ResponseSpec rotate(String token) {
        return http.post().uri("/api/v1/refresh-tokens/rotate").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("token", token)).exchange();
    }

    private static Map<String, Object> credential(String provider, String accessToken) {
        return Map.of("provider", provider, "accessToken", accessToken);
    }

    private long count(String collection) {
        return Mono.from(collection(collection).countDocuments(new Document("tenantId", tenant))).block();
    }

    private List<Document> auditEntries(AuditEventType type) {
        return Flux.from(collection("audit_logs").find(new Document("tenantId", tenant).append("eventType", type.name())))
                .collectList().block();
    }

    /** The tenant's documents in each collection, as stored. */
    private Map<String, List<String>> documents(String... collections) {
        Map<String, List<String>> documents = new TreeMap<>();
        for (String name : collections) {
            documents.put(name, Flux.from(collection(name).find(new Document("tenantId", tenant))
                    .sort(new Document("_id", 1))).map(Document::toJson).collectList().block());
        }
        return documents;
    }

    private List<String> auditTypes() {
        return Flux.from(collection("audit_logs").find(new Document("tenantId", tenant)))
                .map(entry -> entry.getString("eventType")).collectList().block();
    }

    private MongoCollection<Document> collection(String name) {
        return client.getDatabase(DATABASE).getCollection(name);
    }
}
