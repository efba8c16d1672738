package com.phishnet.store.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.platform.web.PageRequest;
import com.phishnet.store.platform.web.PageResponse;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.OfflineApplicationTest;
import com.phishnet.store.users.UserRequests.CreatedUser;
import com.phishnet.store.users.UserRequests.UserStatsView;
import com.phishnet.store.users.UserRequests.UserView;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/** The users routes over a mocked service: status codes, bodies, headers. */
@OfflineApplicationTest
class UserControllerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Every field of a user resource, its scan counters included, as the routes have always shown it. */
    private static final String USER_JSON = """
            {"id":"u-2","email":"bob@example.com","displayName":"Bob","role":"USER","status":"ACTIVE",
             "stats":{"total":5,"clean":2,"suspicious":2,"malicious":1,"lastScanAt":"2026-11-23T09:00:00Z"},
             "createdAt":"2026-11-23T10:00:00Z","updatedAt":"2026-11-23T10:00:00Z"}""";

    @MockitoBean
    UserService users;

    @Autowired
    WebTestClient http;

    private String admin;
    private final Instant now = Instant.parse("2026-11-23T10:00:00Z");
    private final UserView ann = new UserView("u-1", "ann@example.com", "Ann", Role.ANALYST, UserStatus.ACTIVE,
            new UserStatsView(0, 0, 0, 0, null), now, now);

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
    void aUserIsShownWithTheirScanCounters() {
        User bob = new User("u-2", "acme", "bob@example.com", "bob@example.com", "Bob", Role.USER, UserStatus.ACTIVE,
                new User.UserStats(5, 2, 2, 1, Instant.parse("2026-11-23T09:00:00Z")), now, now);
        given(users.get(any(), eq("u-2"))).willReturn(Mono.just(UserView.of(bob)));

        String body = http.get().uri("/api/v1/users/u-2").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(JSON.readTree(body)).isEqualTo(JSON.readTree(USER_JSON));
    }

    @Test
    void aUserStoredWithoutStatsIsShownWithoutCounters() {
        User stored = new User("u-3", "acme", "cy@example.com", "cy@example.com", "Cy", Role.USER, UserStatus.ACTIVE,
                null, now, now);

        assertThat(UserView.of(stored).stats()).isNull();
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
}
