package com.phishnet.store.erasure;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;

import java.time.Instant;
import java.util.List;

import com.phishnet.store.erasure.ErasureRequests.ErasureReport;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.OfflineApplicationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/** The erasure route over a mocked service: who gets in, what reaches the service, the problems it answers. */
@OfflineApplicationTest
class ErasureControllerTest {

    private static final Instant AT = Instant.parse("2026-12-06T10:00:00Z");
    private static final String BODY = "{\"reason\":\"DSR 41\"}";

    @MockitoBean
    ErasureService erasure;

    @Autowired
    WebTestClient http;

    @Test
    void anAdminErasesAUserOfItsTenantAndGetsTheReport() {
        given(erasure.erase(any(), any(), eq("u-1"), any())).willReturn(Mono.just(new ErasureReport("u-1", AT, 1, 2, 3, 4,
                5, 1)));

        post("/api/v1/admin/users/u-1/erasure", admin(), BODY).expectStatus().isOk().expectBody()
                .jsonPath("$.userId").isEqualTo("u-1")
                .jsonPath("$.erasedAt").isEqualTo("2026-12-06T10:00:00Z")
                .jsonPath("$.credentialsDeleted").isEqualTo(1)
                .jsonPath("$.refreshTokensDeleted").isEqualTo(2)
                .jsonPath("$.emailsPseudonymised").isEqualTo(3)
                .jsonPath("$.scansPseudonymised").isEqualTo(4)
                .jsonPath("$.feedbackCleared").isEqualTo(5)
                .jsonPath("$.cacheEntriesDropped").isEqualTo(1);
        then(erasure).should().erase(argThat(caller -> caller.tenantId().equals("acme")), isNull(), eq("u-1"), eq("DSR 41"));
    }

    @Test
    void usersAndAnalystsAreRefusedAndTheServiceIsNeverAsked() {
        for (String role : List.of("USER", "ANALYST")) {
            post("/api/v1/admin/users/u-1/erasure", DevTokens.mint(http, "u-1", "acme", List.of(role)), BODY)
                    .expectStatus().isForbidden()
                    .expectBody().jsonPath("$.type").isEqualTo("urn:phishnet:problem:forbidden");
        }
        then(erasure).should(never()).erase(any(), any(), any(), any());
    }

    @Test
    void anotherTenantNeedsTheOperatorScopeAndIsPassedOnWithIt() {
        given(erasure.erase(any(), eq("globex"), eq("u-1"), any())).willReturn(Mono.just(new ErasureReport("u-1", AT, 0,
                0, 0, 0, 0, 0)));

        post("/api/v1/admin/users/u-1/erasure?tenant=globex", admin(), BODY).expectStatus().isForbidden();
        post("/api/v1/admin/users/u-1/erasure?tenant=globex",
                DevTokens.mint(http, "ops-1", "ops", List.of("ADMIN"), "service:operator"), BODY)
                .expectStatus().isOk();
        then(erasure).should().erase(argThat(caller -> caller.tenantId().equals("ops")), eq("globex"), eq("u-1"),
                eq("DSR 41"));
    }

    @Test
    void aUserOfAnotherTenantIsNotFound() {
        given(erasure.erase(any(), any(), eq("u-9"), any()))
                .willReturn(Mono.error(new ApiException.NotFound("No user u-9.")));

        post("/api/v1/admin/users/u-9/erasure", admin(), BODY).expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo("urn:phishnet:problem:not-found");
    }

    @Test
    void aLegalHoldIsAConflictWithItsOwnProblemType() {
        given(erasure.erase(any(), any(), eq("u-1"), any()))
                .willReturn(Mono.error(new ApiException.Held("User u-1's data is under a legal hold.")));

        post("/api/v1/admin/users/u-1/erasure", admin(), BODY).expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("urn:phishnet:problem:legal-hold")
                .jsonPath("$.status").isEqualTo(409)
                .jsonPath("$.detail").isEqualTo("User u-1's data is under a legal hold.");
    }

    @Test
    void aMissingBlankOrOverlongReasonIsRefusedBeforeTheServiceIsAsked() {
        for (String body : List.of("{}", "{\"reason\":null}", "{\"reason\":\"   \"}", "{\"reason\":\"" + "r".repeat(501) + "\"}",
                "{\"reason\":{\"$ne\":null}}", "{\"reason\":42}", "")) {
            post("/api/v1/admin/users/u-1/erasure", admin(), body).expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
        post("/api/v1/admin/users/u-1/erasure?tenant=no%20such",
                DevTokens.mint(http, "ops-1", "ops", List.of("ADMIN"), "service:operator"), BODY).expectStatus().isBadRequest();
        then(erasure).should(never()).erase(any(), any(), any(), any());
    }

    private String admin() {
        return DevTokens.mint(http, "admin-1", "acme", List.of("ADMIN"));
    }

    private WebTestClient.ResponseSpec post(String uri, String token, String body) {
        return http.post().uri(uri).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }
}
