package com.phishnet.store.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import com.phishnet.store.platform.crypto.Sha256;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.OfflineApplicationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mockito.ArgumentCaptor;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Creating tickets over the real service with the repository mocked: who gets one for which stream, what it is
 * bound to, and which requests are refused before anything is stored.
 */
@OfflineApplicationTest
@TestPropertySource(properties = "phishnet.rate-limit.enabled=false")
class StreamTicketControllerTest {

    @MockitoBean
    StreamTicketRepository repository;

    @Autowired
    WebTestClient http;

    private final ArgumentCaptor<StreamTicket> stored = ArgumentCaptor.forClass(StreamTicket.class);
    private String user;

    @BeforeEach
    void tokens() {
        user = DevTokens.mint(http, "u-1", "acme", List.of("USER"), "scans:write");
        given(repository.insert(any())).willAnswer(invocation -> Mono.just(invocation.getArgument(0)));
    }

    @Test
    void aMemberGetsA201WithTheTicketItsStreamPathAndExpiry() {
        Instant before = Instant.now();

        TicketBody body = create(user, "{\"stream\":\"scans\"}")
                .expectStatus().isCreated()
                .expectBody(TicketBody.class).returnResult().getResponseBody();

        assertThat(body.ticket()).matches("[A-Za-z0-9_-]{43}");
        assertThat(body.stream()).isEqualTo("/api/v1/streams/scans");
        assertThat(body.expiresAt()).isBetween(before.plusSeconds(59), Instant.now().plusSeconds(60));
        verify(repository).insert(stored.capture());
        assertThat(stored.getValue().hash()).isEqualTo(Sha256.hex(body.ticket()));
    }

    @Test
    void theTicketIsBoundToTheTokensSubjectTenantAuthorityAndExpiry() {
        Instant minted = Instant.now();

        create(user, "{\"stream\":\"jobs/0b8f3c1e-6a57-4f6e-9d51-3c2a1b0e9f47\"}").expectStatus().isCreated();

        verify(repository).insert(stored.capture());
        StreamTicket ticket = stored.getValue();
        assertThat(ticket.subject()).isEqualTo("u-1");
        assertThat(ticket.tenantId()).isEqualTo("acme");
        assertThat(ticket.roles()).extracting(Enum::name).containsExactly("USER");
        assertThat(ticket.scopes()).containsExactly("scans:write");
        assertThat(ticket.stream()).isEqualTo("/api/v1/streams/jobs/0b8f3c1e-6a57-4f6e-9d51-3c2a1b0e9f47");
        // DevTokens mint for an hour; the ticket keeps that token's exp, to the second JWTs carry.
        assertThat(Duration.between(minted, ticket.tokenExpiresAt()).toMinutes()).isBetween(59L, 60L);
    }

    @Test
    void aTenantNamedInTheBodyIsNoPartOfTheTicket() {
        // Unknown properties are ignored, as on every route; the tenant is always the token's.
        create(user, "{\"stream\":\"scans\",\"tenant\":\"globex\",\"tenantId\":\"globex\"}")
                .expectStatus().isCreated();

        verify(repository).insert(stored.capture());
        assertThat(stored.getValue().tenantId()).isEqualTo("acme");
    }

    @Test
    void onlyAnAdminGetsATicketForTheAuditStream() {
        create(user, "{\"stream\":\"audit\"}")
                .expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").isEqualTo("This action needs one of the roles [ADMIN]");
        verify(repository, never()).insert(any());

        String admin = DevTokens.mint(http, "admin-1", "acme", List.of("ADMIN"));
        create(admin, "{\"stream\":\"audit\"}")
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.stream").isEqualTo("/api/v1/streams/audit");
    }

    static Stream<String> invalidBodies() {
        return Stream.of("{\"stream\":\"logs\"}", "{\"stream\":\"SCANS\"}", "{\"stream\":\" scans\"}",
                "{\"stream\":\"scans\\n\"}", "{\"stream\":\"scans?verdict=CLEAN\"}", "{\"stream\":\"/api/v1/streams/scans\"}",
                "{\"stream\":\"jobs/\"}", "{\"stream\":\"jobs/" + "j".repeat(65) + "\"}", "{\"stream\":\"jobs/a/b\"}",
                "{\"stream\":\"jobs/..\"}", "{\"stream\":\"jobs/%2e%2e\"}", "{\"stream\":\"tickets\"}",
                "{\"stream\":null}", "{}", "{\"stream\":[\"scans\"]}", "{\"stream\":{\"$ne\":null}}",
                "{\"stream\":42}", "[\"scans\"]", "\"scans\"");
    }

    @ParameterizedTest
    @MethodSource("invalidBodies")
    void anythingButOneKnownStreamIsA400ProblemAndStoresNothing(String body) {
        create(user, body)
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        verify(repository, never()).insert(any());
    }

    @Test
    void aTicketNeedsABearerToken() {
        http.post().uri("/api/v1/streams/tickets").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"stream\":\"scans\"}")
                .exchange()
                .expectStatus().isUnauthorized();
        verify(repository, never()).insert(any());
    }

    private WebTestClient.ResponseSpec create(String token, String body) {
        return http.post().uri("/api/v1/streams/tickets").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange();
    }

    record TicketBody(String ticket, String stream, Instant expiresAt) {
    }
}
