package com.phishnet.store.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.phishnet.store.credentials.CredentialRequests.CredentialSecret;
import com.phishnet.store.credentials.CredentialRequests.CredentialView;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.OfflineApplicationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A user's credential routes over a mocked service: status codes, bodies, headers. */
@OfflineApplicationTest
class CredentialControllerTest {

    @MockitoBean
    CredentialService credentials;

    @Autowired
    WebTestClient http;

    private String admin;
    private final Instant now = Instant.parse("2026-11-23T10:00:00Z");

    @BeforeEach
    void token() {
        admin = DevTokens.mint(http, "admin-1", "acme", List.of("ADMIN"));
    }

    @Test
    void storingACredentialAnswers201AndNeverEchoesTheToken() {
        given(credentials.store(any(), eq("u-1"), any())).willReturn(Mono.just(new CredentialView("c-1", "u-1",
                CredentialProvider.GOOGLE, List.of(), CredentialStatus.ACTIVE, "k1", null, now, null, null)));

        http.post().uri("/api/v1/users/u-1/credentials").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("provider", "GOOGLE", "accessToken", "ya29.secret-value"))
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().location("/api/v1/users/u-1/credentials/c-1")
                .expectBody(String.class)
                .value(body -> assertThat(body).doesNotContain("ya29.secret-value"));
    }

    @Test
    void aCredentialOfAUserWithAnUnusualIdGetsAnEncodedLocation() {
        given(credentials.store(any(), eq("a b"), any())).willReturn(Mono.just(new CredentialView("c 1",
                "a b", CredentialProvider.GOOGLE, List.of(), CredentialStatus.ACTIVE, "k1", null, now, null, null)));

        http.post().uri("/api/v1/users/{id}/credentials", "a b").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("provider", "GOOGLE", "accessToken", "ya29.secret-value"))
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().location("/api/v1/users/a%20b/credentials/c%201");
    }

    @Test
    void anOversizedTokenIsAValidationError() {
        http.post().uri("/api/v1/users/u-1/credentials").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("provider", "GOOGLE", "accessToken", "x".repeat(8193)))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("accessToken");
    }

    @Test
    void aServicePrincipalWithTheScopeReadsTheSecret() {
        String service = DevTokens.mint(http, "mail-sync", "acme", List.of(), "credentials:read-secret");
        given(credentials.readSecret(any(), eq("u-1"), eq("c-1")))
                .willReturn(Mono.just(new CredentialSecret("c-1", CredentialProvider.GOOGLE, "ya29.secret", null, null)));

        http.get().uri("/api/v1/users/u-1/credentials/c-1/secret").header(HttpHeaders.AUTHORIZATION, "Bearer " + service)
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.accessToken").isEqualTo("ya29.secret");
    }

    @Test
    void listingCredentialsReturnsTheirViews() {
        given(credentials.listForUser(any(), eq("u-1"))).willReturn(Flux.just(new CredentialView("c-1", "u-1",
                CredentialProvider.MICROSOFT, List.of("Mail.Read"), CredentialStatus.ACTIVE, "k1", null, now, null, null)));

        http.get().uri("/api/v1/users/u-1/credentials").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[0].provider").isEqualTo("MICROSOFT")
                .jsonPath("$[0].keyId").isEqualTo("k1");
    }
}
