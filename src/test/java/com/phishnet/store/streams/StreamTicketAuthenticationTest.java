package com.phishnet.store.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.Requires;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.OfflineApplicationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A ticket in the URL authenticates a stream GET exactly as the bearer token that created it would: the same
 * Caller, the same rules. Only for the path it is redeemed for, once, and never anything but a stream GET; a JWT
 * in the URL is never read. The service is mocked: whether a ticket redeems (unknown, used, expired or another
 * stream's ticket all redeem to nothing) is the repository's single command, tested in StreamTicketQueriesTest
 * and StreamTicketsIT. The stream routes are someone else's, so a probe under {@code /api/v1/streams} stands in.
 */
@OfflineApplicationTest
@TestPropertySource(properties = "phishnet.rate-limit.enabled=false")
@Import(StreamTicketAuthenticationTest.ProbeStreams.class)
class StreamTicketAuthenticationTest {

    private static final String PROBE = "/api/v1/streams/probe";
    private static final String ADMIN_PROBE = "/api/v1/streams/probe-admin";
    private static final String TICKET = "T".repeat(43);
    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    @MockitoBean
    StreamTicketService tickets;

    @Autowired
    WebTestClient http;

    private String bearer;
    private final Instant tokenExpiresAt = Instant.now().plusSeconds(3600).truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void nothingRedeemsUnlessATestSaysSo() {
        bearer = DevTokens.mint(http, "u-1", "acme", List.of("USER", "ANALYST"), "scans:write");
        given(tickets.redeem(anyString(), anyString())).willReturn(Mono.empty());
    }

    @Test
    void aTicketOpensItsStreamAsTheBearerTokenThatCreatedItWould() {
        Map<String, Object> withBearer = http.get().uri(PROBE).header(HttpHeaders.AUTHORIZATION, "Bearer " + bearer)
                .exchange().expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
        given(tickets.redeem(TICKET, PROBE)).willReturn(Mono.just(claimsOfTicketFromThatToken(PROBE)));

        Map<String, Object> withTicket = http.get().uri(PROBE + "?ticket=" + TICKET)
                .exchange().expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();

        assertThat(withTicket).containsEntry("subject", "u-1").containsEntry("tenantId", "acme");
        assertThat(withTicket).containsAllEntriesOf(Map.of(
                "subject", withBearer.get("subject"), "tenantId", withBearer.get("tenantId"),
                "roles", withBearer.get("roles"), "scopes", withBearer.get("scopes")));
        // The stream ends when the creating token would have expired.
        assertThat(Instant.parse((String) withTicket.get("expiresAt"))).isEqualTo(tokenExpiresAt);
    }

    @Test
    void theTicketIsRedeemedForExactlyThePathItWasSentWith() {
        given(tickets.redeem(TICKET, "/api/v1/streams/scans")).willReturn(Mono.just(claimsOfTicketFromThatToken(
                "/api/v1/streams/scans")));

        http.get().uri(PROBE + "?ticket=" + TICKET).exchange().expectStatus().isUnauthorized();

        verify(tickets).redeem(TICKET, PROBE);
        verify(tickets, never()).redeem(TICKET, "/api/v1/streams/scans");
    }

    @Test
    void aTicketOpensItsStreamOnlyOnce() {
        given(tickets.redeem(TICKET, PROBE)).willReturn(Mono.just(claimsOfTicketFromThatToken(PROBE)), Mono.empty());

        http.get().uri(PROBE + "?ticket=" + TICKET).exchange().expectStatus().isOk();
        http.get().uri(PROBE + "?ticket=" + TICKET).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:phishnet:problem:unauthorized")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("stream ticket"));
    }

    @Test
    void anExpiredOrUnknownTicketIsA401ProblemThatDoesNotEchoIt() {
        // An expired ticket redeems to nothing (the repository's filter wants expiresAt in the future).
        String body = http.get().uri(PROBE + "?ticket=" + TICKET).exchange()
                .expectStatus().isUnauthorized()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(body).doesNotContain(TICKET).contains("\"instance\":\"" + PROBE + "\"");
    }

    @Test
    void theRulesOfTheStreamApplyToTheTicketsCaller() {
        given(tickets.redeem(TICKET, ADMIN_PROBE)).willReturn(Mono.just(claimsOfTicketFromThatToken(ADMIN_PROBE)));

        http.get().uri(ADMIN_PROBE + "?ticket=" + TICKET).exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.detail").isEqualTo("This action needs one of the roles [ADMIN]");
    }

    @Test
    void aJwtInTheUrlIsNeverAccepted() {
        http.get().uri(PROBE + "?access_token=" + bearer).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http.get().uri("/api/v1/scans?access_token=" + bearer).exchange().expectStatus().isUnauthorized();
        // Nor as a ticket: a JWT is not a ticket, and whatever the redeemer says of it, it says nothing here.
        http.get().uri(PROBE + "?ticket=" + bearer).exchange().expectStatus().isUnauthorized();
    }

    @Test
    void aTicketOnAnythingButAStreamGetIsIgnored() {
        given(tickets.redeem(anyString(), anyString())).willReturn(Mono.just(claimsOfTicketFromThatToken(PROBE)));

        http.post().uri("/api/v1/streams/tickets?ticket=" + TICKET).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"stream\":\"scans\"}")
                .exchange().expectStatus().isUnauthorized();
        http.get().uri("/api/v1/scans?ticket=" + TICKET).exchange().expectStatus().isUnauthorized();
        http.get().uri("/api/v1/users?ticket=" + TICKET).exchange().expectStatus().isUnauthorized();

        verify(tickets, never()).redeem(anyString(), anyString());
    }

    @Test
    void aBearerHeaderDecidesWhenBothArePresent() {
        given(tickets.redeem(anyString(), anyString())).willReturn(Mono.just(claimsOfTicketFromThatToken(PROBE)));

        http.get().uri(PROBE + "?ticket=" + TICKET).header(HttpHeaders.AUTHORIZATION, "Bearer not.a.jwt").exchange()
                .expectStatus().isUnauthorized();

        verify(tickets, never()).redeem(anyString(), anyString());
    }

    @Test
    void twoTicketsInOneRequestAuthenticateNothing() {
        given(tickets.redeem(anyString(), anyString())).willReturn(Mono.just(claimsOfTicketFromThatToken(PROBE)));

        http.get().uri(PROBE + "?ticket=" + TICKET + "&ticket=" + TICKET).exchange().expectStatus().isUnauthorized();

        verify(tickets, never()).redeem(anyString(), anyString());
    }

    /** What the real service answers for a ticket the bearer token above created for {@code path}. */
    private Jwt claimsOfTicketFromThatToken(String path) {
        Instant created = Instant.now();
        return StreamTicketService.claimsOf(new StreamTicket("ab".repeat(32), "u-1", "acme",
                List.of(Role.USER, Role.ANALYST), List.of("scans:write"), path, created, created.plusSeconds(60),
                tokenExpiresAt));
    }

    /** Its nested controller is registered with it (a member class of a configuration). */
    @TestConfiguration(proxyBeanMethods = false)
    static class ProbeStreams {

        @RestController
        static class Probe {

            @GetMapping(PROBE)
            @Requires(Rule.MEMBER)
            public Mono<Map<String, Object>> probe(Caller caller, @AuthenticationPrincipal Jwt token) {
                return Mono.just(Map.of("subject", caller.subject(), "tenantId", caller.tenantId(),
                        "roles", new TreeSet<>(caller.roles().stream().map(Enum::name).toList()),
                        "scopes", new TreeSet<>(caller.scopes()), "expiresAt", token.getExpiresAt().toString()));
            }

            @GetMapping(ADMIN_PROBE)
            @Requires(Rule.ADMIN)
            public Mono<Map<String, Object>> admin(Caller caller) {
                return Mono.just(Map.of("subject", caller.subject()));
            }
        }
    }
}
