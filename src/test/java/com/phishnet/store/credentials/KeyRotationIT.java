package com.phishnet.store.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.mongodb.reactivestreams.client.MongoClient;
import com.phishnet.store.platform.crypto.FieldCipher;
import com.phishnet.store.platform.crypto.KeyRing;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.AppOnRealMongo;
import com.phishnet.store.support.RealMongo;
import com.phishnet.store.support.RequiresRealMongo;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.context.ActiveProfiles;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Credentials sealed under a retired key are re-sealed under the primary key by the admin job, on a real server. */
@RequiresRealMongo
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("local")
class KeyRotationIT {

    private static final String DATABASE = RealMongo.newDatabaseName();
    private static final byte[] OLD_KEY = filled(1);
    private static final byte[] NEW_KEY = filled(2);
    private static final byte[] INDEX_KEY = filled(9);
    private static final String TENANT = "rotation-tenant";

    @Autowired
    WebTestClient http;
    @Autowired
    ReactiveMongoTemplate mongo;
    @Autowired
    MongoClient client;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        AppOnRealMongo.register(registry, DATABASE);
        registry.add("phishnet.crypto.data-keys", () -> "old:" + base64(OLD_KEY) + ",new:" + base64(NEW_KEY));
        registry.add("phishnet.crypto.primary-key-id", () -> "new");
        registry.add("phishnet.crypto.blind-index-key", () -> base64(INDEX_KEY));
    }

    @AfterAll
    static void dropDatabase(@Autowired MongoClient client) {
        AppOnRealMongo.drop(client, DATABASE);
    }

    @Test
    void reSealsEveryCredentialUnderThePrimaryKeyAndKeepsThemReadable() {
        FieldCipher oldCipher = new FieldCipher(new KeyRing(Map.of("old", OLD_KEY), "old", INDEX_KEY), new SecureRandom());
        List<Credential> stale = Flux.range(0, 250).map(i -> {
            String id = "cred-" + i;
            return new Credential(id, TENANT, "user-" + i, CredentialProvider.GOOGLE, null,
                    oldCipher.seal("token-" + i, CredentialService.context(TENANT, id, CredentialFields.ACCESS_TOKEN)),
                    null, List.of(), CredentialStatus.ACTIVE, null, Instant.now(), null, null);
        }).collectList().block();
        mongo.insertAll(stale).blockLast();
        // Starting and following a rotation is service-wide work: the operator authority, not the ADMIN role.
        String admin = DevTokens.mint(http, "ops-1", TENANT, List.of("ADMIN"), "credentials:read-secret",
                "service:operator");

        String location = http.post().uri("/api/v1/admin/key-rotations").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange()
                .expectStatus().isAccepted()
                .returnResult(Map.class).getResponseHeaders().getLocation().toString();

        awaitState(location, admin, "COMPLETED");
        List<String> keyIds = Flux.from(client.getDatabase(DATABASE).getCollection("oauth_credentials").find())
                .map(raw -> raw.get("accessToken", Document.class).getString("keyId")).collectList().block();
        assertThat(keyIds).hasSize(250).containsOnly("new");
        http.get().uri("/api/v1/users/user-7/credentials/cred-7/secret").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.accessToken").isEqualTo("token-7");
        http.get().uri(location).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectBody().jsonPath("$.processed").isEqualTo(250).jsonPath("$.changed").isEqualTo(250);
    }

    private void awaitState(String location, String token, String state) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            Map<?, ?> job = http.get().uri(location).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                    .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
            if (state.equals(job.get("state"))) {
                return;
            }
            assertThat(job.get("state")).isNotEqualTo("FAILED");
            Mono.delay(Duration.ofMillis(100)).block();
        }
        throw new AssertionError("job did not reach " + state + " within 60s");
    }

    private static byte[] filled(int value) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) value);
        return key;
    }

    private static String base64(byte[] key) {
        return Base64.getEncoder().encodeToString(key);
    }
}
