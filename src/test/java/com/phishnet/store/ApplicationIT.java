package com.phishnet.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.mongodb.reactivestreams.client.MongoClient;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.AppOnRealMongo;
import com.phishnet.store.support.RealMongo;
import com.phishnet.store.support.RequiresRealMongo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.context.ActiveProfiles;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The whole service booted on a real replica set: migrations ran, health reports the set, errors are problems. */
@RequiresRealMongo
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("local")
class ApplicationIT {

    private static final String DATABASE = RealMongo.newDatabaseName();

    @Autowired
    WebTestClient http;

    @Autowired
    MongoClient client;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        AppOnRealMongo.register(registry, DATABASE);
    }

    @AfterAll
    static void dropDatabase(@Autowired MongoClient client) {
        AppOnRealMongo.drop(client, DATABASE);
    }

    @Test
    void migratesTheSchemaAtStartup() {
        List<String> names = Flux.from(client.getDatabase(DATABASE).listCollectionNames()).collectList().block();

        assertThat(names).contains("users", "oauth_credentials", "emails_meta", "scan_results", "audit_logs",
                "refresh_tokens", "reputation_cache", "feedback", "backups", "system_metrics", "jobs", "tenant_stats");
    }

    @Test
    void healthReportsTheReplicaSetAndRedisSeparately() {
        String admin = DevTokens.mint(http, "ops-1", "acme", List.of("ADMIN"));

        http.get().uri("/actuator/health").header("Authorization", "Bearer " + admin).exchange()
                .expectBody()
                .jsonPath("$.components.mongo.status").isEqualTo("UP")
                .jsonPath("$.components.mongo.details.topology").isEqualTo("REPLICA_SET_MEMBER")
                .jsonPath("$.components.mongo.details.replicaSet").exists()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.cache.status").isEqualTo("UP")
                .jsonPath("$.components.cache.details.redis").isEqualTo("DOWN");
    }

    @Test
    void readinessIgnoresTheMissingCache() {
        http.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    @Test
    void unknownPathsAnswerWithProblemDetails() {
        http.get().uri("/api/v1/nothing-here").header("X-Request-Id", "it-req-1").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:phishnet:problem:not-found")
                .jsonPath("$.requestId").isEqualTo("it-req-1");
    }
}
