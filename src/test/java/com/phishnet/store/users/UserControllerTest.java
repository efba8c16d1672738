package com.phishnet.store.users;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.phishnet.store.credentials.CredentialProvider;
import com.phishnet.store.credentials.CredentialRequests.CredentialSecret;
import com.phishnet.store.credentials.CredentialRequests.CredentialView;
import com.phishnet.store.credentials.CredentialService;
import com.phishnet.store.credentials.CredentialStatus;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.Role;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.platform.web.PageRequest;
import com.phishnet.store.platform.web.PageResponse;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.OfflineApplicationTest;
import com.phishnet.store.tokens.InvalidRefreshTokenException;
import com.phishnet.store.tokens.RefreshTokenRequests.IssuedToken;
import com.phishnet.store.tokens.RefreshTokenService;
import com.phishnet.store.users.UserRequests.CreatedUser;
import com.phishnet.store.users.UserRequests.UserView;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The users, credentials and refresh-token routes over mocked services: status codes, bodies, headers. */
@OfflineApplicationTest
class UserControllerTest {

    @MockitoBean
    UserService users;
    @MockitoBean
    CredentialService credentials;
    @MockitoBean
    RefreshTokenService refreshTokens;

    @Autowired
    WebTestClient http;

    private String admin;
    private final Instant now = Instant.parse("2026-11-23T10:00:00Z");
    private final UserView ann = new UserView("u-1", "ann@example.com", "Ann", Role.ANALYST, UserStatus.ACTIVE,
            User.UserStats.empty(), now, now);

    @BeforeEach
    void token() {
        admin = DevTokens.mint(http, "admin-1", "acme", List.of("ADMIN"));
    }

    @Test
    void creatingAUserAnswers201WithItsLocation() {
        given(users.create(any(), any(), any())).willReturn(Mono.just(new UserService.Creation(new CreatedUser(ann, List.of()), false)));

        http.post().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "ann@example.com", "role", "ANALYST", "credentials",
                        List.of(Map.of("provider", "GOOGLE", "accessToken", "ya29.secret"))))
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().location("/api/v1/users/u-1")
                .expectBody()
                .jsonPath("$.user.email").isEqualTo("ann@example.com")
                .jsonPath("$.user.role").isEqualTo("ANALYST");
    }

    @Test
    void theCallerPassedToServicesCarriesTheTokensTenantAndRoles() {
        given(users.get(any(), eq("u-1"))).willReturn(Mono.just(ann));

        http.get().uri("/api/v1/users/u-1").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .header("X-Request-Id", "req-7").header(HttpHeaders.USER_AGENT, "dashboard/1.0").exchange()
                .expectStatus().isOk();

        ArgumentCaptor<Caller> caller = ArgumentCaptor.forClass(Caller.class);
        verify(users).get(caller.capture(), eq("u-1"));
        org.assertj.core.api.Assertions.assertThat(caller.getValue())
                .extracting(Caller::tenantId, Caller::subject, Caller::requestId, Caller::userAgent)
                .containsExactly("acme", "admin-1", "req-7", "dashboard/1.0");
        org.assertj.core.api.Assertions.assertThat(caller.getValue().roles()).containsExactly(Role.ADMIN);
    }

    @Test
    void aCreateRetriedWithItsIdempotencyKeyAnswers200MarkedReplayed() {
        given(users.create(any(), any(), eq("create-ann-1")))
                .willReturn(Mono.just(new UserService.Creation(new CreatedUser(ann, List.of()), true)));

        http.post().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .header("Idempotency-Key", "create-ann-1")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "ann@example.com", "role", "ANALYST"))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectBody().jsonPath("$.user.id").isEqualTo("u-1");
    }

    @Test
    void aFirstCreateWithAnIdempotencyKeyIs201WithoutTheReplayHeader() {
        given(users.create(any(), any(), eq("create-ann-1")))
                .willReturn(Mono.just(new UserService.Creation(new CreatedUser(ann, List.of()), false)));

        http.post().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .header("Idempotency-Key", "create-ann-1")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "ann@example.com", "role", "ANALYST"))
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().doesNotExist("Idempotent-Replayed");
    }

    @Test
    void aMalformedIdempotencyKeyIs400AndCreatesNothing() {
        http.post().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .header("Idempotency-Key", "not a valid key!")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "ann@example.com", "role", "ANALYST"))
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);

        org.mockito.Mockito.verifyNoInteractions(users);
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
    void aDuplicateEmailIs409() {
        given(users.create(any(), any(), any())).willReturn(Mono.error(new ApiException.Conflict("exists")));

        http.post().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "ann@example.com", "role", "ANALYST"))
                .exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("urn:phishnet:problem:conflict");
    }

    @Test
    void anUnknownUserIs404() {
        given(users.get(any(), eq("nope"))).willReturn(Mono.error(new ApiException.NotFound("No user nope.")));

        http.get().uri("/api/v1/users/nope").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo("urn:phishnet:problem:not-found");
    }

    @Test
    void listsPassPagingAndFiltersThrough() {
        given(users.list(any(), eq(Role.ANALYST), eq(UserStatus.ACTIVE), eq(new PageRequest(2, 10)), any()))
                .willAnswer(call -> Mono.just(PageResponse.of(List.of(ann), new PageRequest(2, 10), 11,
                        call.getArgument(4, URI.class))));

        http.get().uri("/api/v1/users?role=ANALYST&status=ACTIVE&page=2&size=10")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items[0].id").isEqualTo("u-1")
                .jsonPath("$.total").isEqualTo(11)
                .jsonPath("$.pages").isEqualTo(2)
                .jsonPath("$.links.prev").isEqualTo("/api/v1/users?role=ANALYST&status=ACTIVE&page=1&size=10")
                .jsonPath("$.links.next").doesNotExist();
    }

    @Test
    void storingACredentialAnswers201AndNeverEchoesTheToken() {
        runsWorkForActiveUser();
        given(credentials.storeWithin(any(), eq("u-1"), any())).willReturn(Flux.just(new CredentialView("c-1", "u-1",
                CredentialProvider.GOOGLE, List.of(), CredentialStatus.ACTIVE, "k1", null, now, null, null)));

        http.post().uri("/api/v1/users/u-1/credentials").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("provider", "GOOGLE", "accessToken", "ya29.secret-value"))
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().location("/api/v1/users/u-1/credentials/c-1")
                .expectBody(String.class)
                .value(body -> org.assertj.core.api.Assertions.assertThat(body).doesNotContain("ya29.secret-value"));
    }

    @Test
    void aCredentialOfAUserWithAnUnusualIdGetsAnEncodedLocation() {
        runsWorkForActiveUser("a b");
        given(credentials.storeWithin(any(), eq("a b"), any())).willReturn(Flux.just(new CredentialView("c 1",
                "a b", CredentialProvider.GOOGLE, List.of(), CredentialStatus.ACTIVE, "k1", null, now, null, null)));

        http.post().uri("/api/v1/users/{id}/credentials", "a b").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("provider", "GOOGLE", "accessToken", "ya29.secret-value"))
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().location("/api/v1/users/a%20b/credentials/c%201");
    }

    @Test
    void aRoleGivenAsANumberIsRejectedBeforeTheService() {
        http.post().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "ann@example.com", "role", 2))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:phishnet:problem:bad-request");

        verifyNoInteractions(users);
    }

    @Test
    void aRoleWithStraySpacesIsRejectedBeforeTheService() {
        http.post().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "ann@example.com", "role", " ADMIN"))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:phishnet:problem:bad-request");

        verifyNoInteractions(users);
    }

    @Test
    void aRoleQueryParameterMustBeAnExactName() {
        for (String role : List.of("2", " ANALYST", "ANALYST ")) {
            http.get().uri(builder -> builder.path("/api/v1/users").queryParam("role", role).build())
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                    .exchange()
                    .expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.type").isEqualTo("urn:phishnet:problem:bad-request");
        }

        verifyNoInteractions(users);
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
    void issuingARefreshTokenAnswers201() {
        runsWorkForActiveUser();
        given(refreshTokens.issueWithin(any(), eq("u-1"))).willReturn(Mono.just(new IssuedToken("t-1", "tok", "f-1", now)));

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

    private void runsWorkForActiveUser() {
        runsWorkForActiveUser("u-1");
    }

    @SuppressWarnings("unchecked")
    private void runsWorkForActiveUser(String userId) {
        given(users.forActiveUser(any(), eq(userId), any()))
                .willAnswer(call -> ((java.util.function.Supplier<Mono<?>>) call.getArgument(2)).get());
    }

    @Test
    void listingCredentialsReturnsTheirViews() {
        given(users.existing(any(), eq("u-1"))).willReturn(Mono.empty());
        given(credentials.list(any(), eq("u-1"))).willReturn(Flux.just(new CredentialView("c-1", "u-1",
                CredentialProvider.MICROSOFT, List.of("Mail.Read"), CredentialStatus.ACTIVE, "k1", null, now, null, null)));

        http.get().uri("/api/v1/users/u-1/credentials").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[0].provider").isEqualTo("MICROSOFT")
                .jsonPath("$[0].keyId").isEqualTo("k1");
    }
}
