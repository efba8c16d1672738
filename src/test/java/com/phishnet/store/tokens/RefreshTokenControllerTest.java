package com.phishnet.store.tokens;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.OfflineApplicationTest;
import com.phishnet.store.tokens.RefreshTokenRequests.IssuedToken;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/** The refresh-token routes over a mocked service: status codes, bodies, headers. */
@OfflineApplicationTest
class RefreshTokenControllerTest {

    @MockitoBean
    RefreshTokenService refreshTokens;

    @Autowired
    WebTestClient http;

    private String admin;
    private final Instant now = Instant.parse("2026-11-23T10:00:00Z");

    @BeforeEach
    void token() {
        admin = DevTokens.mint(http, "admin-1", "acme", List.of("ADMIN"));
    }

    @Test
    void aRotationRetriedWithItsIdempotencyKeyReturnsTheSameSuccessorMarkedReplayed() {
        IssuedToken successor = new IssuedToken("t-2", "successor-secret", "f-1", now.plusSeconds(3600));
        given(refreshTokens.rotate(any(), eq("old-token"), eq("rotate-1")))
                .willReturn(Mono.just(new RefreshTokenService.Rotation(successor, true)));

        http.post().uri("/api/v1/refresh-tokens/rotate").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .header("Idempotency-Key", "rotate-1")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("token", "old-token"))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectBody().jsonPath("$.id").isEqualTo("t-2").jsonPath("$.token").isEqualTo("successor-secret");
    }

    @Test
    void aFirstRotationIs200WithoutTheReplayHeader() {
        IssuedToken successor = new IssuedToken("t-2", "successor-secret", "f-1", now.plusSeconds(3600));
        given(refreshTokens.rotate(any(), eq("old-token"), eq(null)))
                .willReturn(Mono.just(new RefreshTokenService.Rotation(successor, false)));

        http.post().uri("/api/v1/refresh-tokens/rotate").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("token", "old-token"))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().doesNotExist("Idempotent-Replayed")
                .expectBody().jsonPath("$.token").isEqualTo("successor-secret");
    }

    @Test
    void issuingARefreshTokenAnswers201() {
        given(refreshTokens.issue(any(), eq("u-1"))).willReturn(Mono.just(new IssuedToken("t-1", "tok", "f-1", now)));

        http.post().uri("/api/v1/users/u-1/refresh-tokens").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange()
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.familyId").isEqualTo("f-1");
    }

    @Test
    void aRefusedRefreshTokenIs400InvalidGrant() {
        given(refreshTokens.rotate(any(), eq("stale"), any())).willReturn(Mono.error(new InvalidRefreshTokenException(
                "The refresh token was already used; its family has been revoked.")));

        http.post().uri("/api/v1/refresh-tokens/rotate").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("token", "stale"))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:phishnet:problem:invalid-grant");
    }

    @Test
    void aUserCannotIssueTokensForSomeoneElse() {
        String user = DevTokens.mint(http, "u-2", "acme", List.of("USER"));

        http.post().uri("/api/v1/users/u-1/refresh-tokens").header(HttpHeaders.AUTHORIZATION, "Bearer " + user)
                .exchange()
                .expectStatus().isForbidden();
    }
}
