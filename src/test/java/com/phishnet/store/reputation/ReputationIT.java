package com.phishnet.store.reputation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.mongodb.reactivestreams.client.MongoClient;
import com.phishnet.store.platform.security.Access.Scope;
import com.phishnet.store.support.AppOnRealMongo;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.RealMongo;
import com.phishnet.store.support.RequiresRealMongo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reputation through the HTTP API on a real replica set: a tenant's override is seen by that tenant only, a
 * tenant cannot write global verdicts, and long URL subjects are stored even when writers race.
 */
@RequiresRealMongo
@ActiveProfiles("local")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class ReputationIT {

    private static final String DATABASE = RealMongo.newDatabaseName();

    @Autowired
    WebTestClient http;

    private String acme;
    private String globex;
    private String acmeAnalyst;
    private String globexUser;
    private String feed;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        AppOnRealMongo.register(registry, DATABASE);
    }

    @AfterAll
    static void dropDatabase(@Autowired MongoClient client) {
        AppOnRealMongo.drop(client, DATABASE);
    }

    /** Tenants of their own per test, so tests share a database but never data. */
    @BeforeEach
    void tenants() {
        String suffix = RealMongo.newDatabaseName().substring(3);
        acme = "a" + suffix;
        globex = "g" + suffix;
        acmeAnalyst = DevTokens.mint(http, "ann", acme, List.of("ANALYST"));
        globexUser = DevTokens.mint(http, "bob", globex, List.of("USER"));
        feed = DevTokens.mint(http, "feed-1", "feeds", List.of(), Scope.REPUTATION_WRITE.value());
    }

    @Test
    void anOverrideIsSeenByItsTenantOnlyAndTheGlobalVerdictByEveryoneElse() {
        String domain = acme + ".phish.example";
        put("/api/v1/reputation/global", feed, verdict("DOMAIN", domain, "MALICIOUS")).expectStatus().isOk();

        put("/api/v1/reputation", acmeAnalyst, verdict("DOMAIN", domain, "CLEAN")).expectStatus().isOk()
                .expectBody().jsonPath("$.scope").isEqualTo("TENANT");

        get(acmeAnalyst, "DOMAIN", domain).expectStatus().isOk().expectBody()
                .jsonPath("$.verdict").isEqualTo("CLEAN").jsonPath("$.scope").isEqualTo("TENANT");
        get(globexUser, "DOMAIN", domain).expectStatus().isOk().expectBody()
                .jsonPath("$.verdict").isEqualTo("MALICIOUS").jsonPath("$.scope").isEqualTo("GLOBAL");
    }

    @Test
    void aTenantAnalystCannotChangeTheGlobalVerdict() {
        String domain = acme + ".bank-phish.example";
        put("/api/v1/reputation/global", feed, verdict("DOMAIN", domain, "MALICIOUS")).expectStatus().isOk();

        put("/api/v1/reputation/global", acmeAnalyst, verdict("DOMAIN", domain, "CLEAN")).expectStatus().isForbidden();

        get(globexUser, "DOMAIN", domain).expectStatus().isOk().expectBody().jsonPath("$.verdict").isEqualTo("MALICIOUS");
    }

    @Test
    void racingPutsOfOneLongUrlAllSucceed() {
        String prefix = "https://" + acme + ".phish.example/login?next=";
        String url = prefix + "a".repeat(ReputationFields.SUBJECT_MAX - prefix.length());

        List<HttpStatusCode> statuses = Flux.range(0, 8)
                .flatMap(i -> Mono.fromCallable(() -> put("/api/v1/reputation", acmeAnalyst, verdict("URL", url,
                        i % 2 == 0 ? "MALICIOUS" : "SUSPICIOUS")).returnResult(String.class).getStatus())
                        .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()), 8)
                .collectList().block(Duration.ofSeconds(60));

        assertThat(statuses).hasSize(8).allMatch(HttpStatusCode::is2xxSuccessful);
        get(acmeAnalyst, "URL", url).expectStatus().isOk().expectBody().jsonPath("$.subject").isEqualTo(url);
    }

    private Map<String, Object> verdict(String type, String subject, String verdict) {
        return Map.of("type", type, "subject", subject, "verdict", verdict, "score", 0.5, "source", "it",
                "ttlSeconds", 3600);
    }

    private WebTestClient.ResponseSpec put(String path, String token, Map<String, Object> body) {
        return http.put().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec get(String token, String type, String subject) {
        return http.get().uri(builder -> builder.path("/api/v1/reputation").queryParam("type", type)
                        .queryParam("subject", "{subject}").build(subject))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }
}
