package com.phishnet.store.users;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.phishnet.store.support.AppOnRealMongo;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.RealMongo;
import com.phishnet.store.support.RequiresRealMongo;
import com.phishnet.store.support.UnknownCommitOperator;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.data.mongodb.ReactiveMongoTransactionManager;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Non-idempotent units whose commit really applied on the replica set but whose caller was told the outcome is
 * unknown (the wrapped operator commits, then raises UnknownTransactionCommitResult), and clients that retry
 * after losing a response: the committed result is the answer, written once, audited once, family intact.
 */
@RequiresRealMongo
@ActiveProfiles("local")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(UnknownCommitIT.LostCommitAcknowledgements.class)
class UnknownCommitIT {

    private static final String DATABASE = RealMongo.newDatabaseName();

    @TestConfiguration
    static class LostCommitAcknowledgements {

        @Bean
        @Primary
        UnknownCommitOperator unknownCommitOperator(ReactiveMongoTransactionManager transactions) {
            return new UnknownCommitOperator(TransactionalOperator.create(transactions));
        }
    }

    @Autowired
    WebTestClient http;
    @Autowired
    MongoClient client;
    @Autowired
    UnknownCommitOperator commits;

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
    void newTenant() {
        tenant = "t" + RealMongo.newDatabaseName().substring(3);
        admin = DevTokens.mint(http, "admin-1", tenant, List.of("ADMIN"));
    }

    @AfterEach
    void disarm() {
        commits.failNextCommits(0);
    }

    @Test
    void aUserCreateWhoseCommitAppliedButWasReportedUnknownAnswers201WithOneUserAndOneAuditEntry() {
        int injectedBefore = commits.injected();
        commits.failNextCommits(1);

        String id = userId(createUser("ann@example.com", null).expectStatus().isCreated()
                .expectHeader().doesNotExist("Idempotent-Replayed"));

        assertThat(commits.injected()).isEqualTo(injectedBefore + 1);
        assertThat(count("users", new Document())).isEqualTo(1);
        assertThat(Flux.from(collection("users").find(new Document("tenantId", tenant))).blockFirst().getString("_id"))
                .isEqualTo(id);
        assertThat(count("audit_logs", new Document("eventType", "USER_CREATED"))).isEqualTo(1);
    }

    @Test
    void aRotationWhoseCommitAppliedButWasReportedUnknownReturnsTheSuccessorAndKeepsTheFamily() {
        String userId = userId(createUser("bob@example.com", null).expectStatus().isCreated());
        String first = issueRefreshToken(userId);
        int injectedBefore = commits.injected();
        commits.failNextCommits(1);

        String second = token(rotate(first, null).expectStatus().isOk());

        assertThat(commits.injected()).isEqualTo(injectedBefore + 1);
        assertThat(count("refresh_tokens", new Document("status", "REVOKED"))).isZero();
        assertThat(count("audit_logs", new Document("eventType", "REFRESH_TOKEN_REUSE_DETECTED"))).isZero();
        assertThat(count("audit_logs", new Document("eventType", "REFRESH_TOKEN_ROTATED"))).isEqualTo(1);
        // The answer is the successor that was committed: it rotates in turn.
        rotate(second, null).expectStatus().isOk();
    }

    @Test
    void aCreateRetriedWithTheSameKeyReturnsTheCommittedUserMarkedReplayed() {
        String id = userId(createUser("cid@example.com", "create-cid-1").expectStatus().isCreated());

        String replayed = userId(createUser("cid@example.com", "create-cid-1").expectStatus().isOk()
                .expectHeader().valueEquals("Idempotent-Replayed", "true"));

        assertThat(replayed).isEqualTo(id);
        assertThat(count("users", new Document())).isEqualTo(1);
        assertThat(count("audit_logs", new Document("eventType", "USER_CREATED"))).isEqualTo(1);
        createUser("dee@example.com", "create-cid-1").expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("urn:phishnet:problem:conflict");
    }

    @Test
    void aRotationRetriedWithTheSameKeyReturnsTheSameSuccessorAndDoesNotRevokeTheFamily() {
        String userId = userId(createUser("eve@example.com", null).expectStatus().isCreated());
        String first = issueRefreshToken(userId);

        String successor = token(rotate(first, "rotate-eve-1").expectStatus().isOk());
        String retried = token(rotate(first, "rotate-eve-1").expectStatus().isOk()
                .expectHeader().valueEquals("Idempotent-Replayed", "true"));

        assertThat(retried).isEqualTo(successor);
        assertThat(count("refresh_tokens", new Document("status", "REVOKED"))).isZero();
        rotate(successor, null).expectStatus().isOk();
        // Reuse detection stands: the old token with another key is reuse.
        rotate(first, "rotate-eve-2").expectStatus().isBadRequest();
        assertThat(count("audit_logs", new Document("eventType", "REFRESH_TOKEN_REUSE_DETECTED"))).isEqualTo(1);
    }

    private WebTestClient.ResponseSpec createUser(String email, String idempotencyKey) {
        WebTestClient.RequestBodySpec request = http.post().uri("/api/v1/users")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).contentType(MediaType.APPLICATION_JSON);
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        return request.bodyValue(Map.of("email", email, "role", "USER",
                "credentials", List.of(Map.of("provider", "GOOGLE", "accessToken", "ya29.retry")))).exchange();
    }

    @SuppressWarnings("unchecked")
    private static String userId(WebTestClient.ResponseSpec response) {
        Map<String, Object> body = response.expectBody(Map.class).returnResult().getResponseBody();
        return ((Map<String, Object>) body.get("user")).get("id").toString();
    }

    private String issueRefreshToken(String userId) {
        return http.post().uri("/api/v1/users/{id}/refresh-tokens", userId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("token").toString();
    }

    private WebTestClient.ResponseSpec rotate(String token, String idempotencyKey) {
        WebTestClient.RequestBodySpec request = http.post().uri("/api/v1/refresh-tokens/rotate")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).contentType(MediaType.APPLICATION_JSON);
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        return request.bodyValue(Map.of("token", token)).exchange();
    }

    private static String token(WebTestClient.ResponseSpec response) {
        return response.expectBody(Map.class).returnResult().getResponseBody().get("token").toString();
    }

    private long count(String collection, Document filter) {
        return Mono.from(collection(collection).countDocuments(new Document(filter).append("tenantId", tenant))).block();
    }

    private MongoCollection<Document> collection(String name) {
        return client.getDatabase(DATABASE).getCollection(name);
    }
}
