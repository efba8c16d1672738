package com.phishnet.store.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.mongodb.reactivestreams.client.MongoClient;
import com.phishnet.store.support.AppOnRealMongo;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.RealMongo;
import com.phishnet.store.support.RequiresRealMongo;
import org.bson.Document;
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

/**
 * Policies and legal holds on a real replica set: what the validators accept, tenant scope of every route, and the
 * audit entries in the tenant's chain.
 */
@RequiresRealMongo
@ActiveProfiles("local")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class RetentionIT {

    private static final String DATABASE = RealMongo.newDatabaseName();

    @Autowired
    WebTestClient http;
    @Autowired
    MongoClient client;
    @Autowired
    RetentionService retention;

    private String tenant;
    private String admin;
    private String userId;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        AppOnRealMongo.register(registry, DATABASE);
    }

    @AfterAll
    static void dropDatabase(@Autowired MongoClient client) {
        AppOnRealMongo.drop(client, DATABASE);
    }

    @BeforeEach
    void tenantWithAUser() {
        tenant = "t" + RealMongo.newDatabaseName().substring(3);
        admin = DevTokens.mint(http, "admin-1", tenant, List.of("ADMIN"));
        userId = http.post().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", "ann@example.com", "role", "USER"))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("user") instanceof Map<?, ?> user
                ? user.get("id").toString() : null;
    }

    @Test
    void aUserHoldHoldsOnlyThatUserATenantHoldEveryoneAndLiftingEndsBoth() {
        String userHold = place("{\"userId\":\"" + userId + "\",\"reason\":\"case 17\"}");
        assertThat(retention.isHeld(tenant, userId).block()).isTrue();
        assertThat(retention.isHeld(tenant, "someone-else").block()).isFalse();

        String tenantHold = place("{\"reason\":\"regulator request\"}");
        assertThat(retention.isHeld(tenant, "someone-else").block()).isTrue();

        for (String id : List.of(userHold, tenantHold)) {
            http.delete().uri("/api/v1/admin/legal-holds/{id}?reason=closed", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                    .exchange().expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("LIFTED")
                    .jsonPath("$.liftReason").isEqualTo("closed");
        }
        assertThat(retention.isHeld(tenant, userId).block()).isFalse();
        http.delete().uri("/api/v1/admin/legal-holds/{id}", userHold).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isEqualTo(409);
        http.get().uri("/api/v1/admin/legal-holds?state=LIFTED").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.total").isEqualTo(2);
        assertThat(audited("LEGAL_HOLD_PLACED")).isEqualTo(2);
        assertThat(audited("LEGAL_HOLD_LIFTED")).isEqualTo(2);
    }

    @Test
    void anotherTenantsAdminNeitherSeesNorLiftsAHoldAndAnUnknownUserCannotBeHeld() {
        String hold = place("{\"reason\":\"case 18\"}");
        String other = DevTokens.mint(http, "admin-9", "globex" + tenant, List.of("ADMIN"));

        http.get().uri("/api/v1/admin/legal-holds/{id}", hold).header(HttpHeaders.AUTHORIZATION, "Bearer " + other)
                .exchange().expectStatus().isNotFound();
        http.delete().uri("/api/v1/admin/legal-holds/{id}", hold).header(HttpHeaders.AUTHORIZATION, "Bearer " + other)
                .exchange().expectStatus().isNotFound();
        assertThat(retention.isHeld(tenant, userId).block()).as("still held").isTrue();
        http.post().uri("/api/v1/admin/legal-holds").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"userId\":\"nobody\",\"reason\":\"x\"}")
                .exchange().expectStatus().isNotFound();
    }

    @Test
    void anAdminOperatorPlacesAHoldInAnotherTenantWhoseChainRecordsItWithTheActorsTenant() {
        String operator = DevTokens.mint(http, "ops-1", "ops" + tenant, List.of("ADMIN"), "service:operator");

        String location = http.post().uri("/api/v1/admin/legal-holds?tenant={t}", tenant)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"userId\":\"" + userId + "\",\"reason\":\"regulator\"}")
                .exchange().expectStatus().isCreated()
                .returnResult(Map.class).getResponseHeaders().getLocation().toString();

        assertThat(location).endsWith("?tenant=" + tenant);
        http.get().uri(location).header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.tenantId").isEqualTo(tenant);
        assertThat(retention.isHeld(tenant, userId).block()).isTrue();
        Document entry = Flux.from(client.getDatabase(DATABASE).getCollection("audit_logs")
                .find(new Document("tenantId", tenant).append("eventType", "LEGAL_HOLD_PLACED"))).next().block();
        assertThat(entry.getString("actorId")).isEqualTo("ops-1");
        assertThat(entry.get("details", Document.class).getString("actorTenant")).isEqualTo("ops" + tenant);
        http.get().uri("/api/v1/admin/retention/policies?tenant={t}", tenant).header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.tenantId").isEqualTo(tenant)
                .jsonPath("$.updatedBy").isEmpty();
    }

    @Test
    void aTenantsOverridesAreStoredValidatedShownAndAuditedAndAnEmptySetRestoresTheDefaults() {
        http.put().uri("/api/v1/admin/retention/policies").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"days\":{\"EMAILS_META\":30,\"AUDIT_LOGS\":3650}}")
                .exchange().expectStatus().isOk();

        http.get().uri("/api/v1/admin/retention/policies").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.policies[?(@.data == 'EMAILS_META')].days").isEqualTo(List.of(30))
                .jsonPath("$.policies[?(@.data == 'EMAILS_META')].source").isEqualTo(List.of("TENANT"))
                .jsonPath("$.policies[?(@.data == 'FEEDBACK')].source").isEqualTo(List.of("DEFAULT"))
                .jsonPath("$.updatedBy").isEqualTo("admin-1");
        Document stored = Flux.from(client.getDatabase(DATABASE).getCollection(RetentionFields.POLICIES)
                .find(new Document("_id", tenant))).next().block();
        assertThat(stored.get("days", Document.class)).isEqualTo(new Document("AUDIT_LOGS", 3650).append("EMAILS_META", 30));

        http.put().uri("/api/v1/admin/retention/policies").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"days\":{}}")
                .exchange().expectStatus().isOk();
        assertThat(Flux.from(client.getDatabase(DATABASE).getCollection(RetentionFields.POLICIES)
                .find(new Document("_id", tenant))).count().block()).isZero();
        assertThat(audited("RETENTION_POLICY_CHANGED")).isEqualTo(2);
    }

    private String place(String body) {
        return http.post().uri("/api/v1/admin/legal-holds").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
    }

    private long audited(String eventType) {
        return Flux.from(client.getDatabase(DATABASE).getCollection("audit_logs")
                .find(new Document("tenantId", tenant).append("eventType", eventType))).count().block();
    }
}
