package com.phishnet.store.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import com.phishnet.store.platform.crypto.Sha256;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.JwtClaims;
import com.phishnet.store.streams.StreamTicketRequests.IssuedTicket;
import com.phishnet.store.streams.StreamTicketRequests.StreamTicketProperties;
import com.phishnet.store.support.MutableClock;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.CredentialsExpiredException;
import org.springframework.security.oauth2.jwt.Jwt;

/** What a ticket stores and what redeeming it gives back, over a mocked repository and a fixed clock. */
class StreamTicketServiceTest {

    private final Instant now = Instant.parse("2026-11-23T10:00:00Z");
    private final MutableClock clock = new MutableClock(now);
    private final StreamTicketRepository repository = mock(StreamTicketRepository.class);
    private final StreamTicketService service = new StreamTicketService(repository,
            new StreamTicketProperties(Duration.ofSeconds(60)), new SecureRandom(), clock);
    private final ArgumentCaptor<StreamTicket> stored = ArgumentCaptor.forClass(StreamTicket.class);

    private final Caller analyst = caller(Set.of(Role.ANALYST, Role.USER), Set.of("scans:write", "made:up"));

    @Test
    void aTicketIsStoredOnlyAsItsHashWithTheCallerAndTheStreamPath() {
        IssuedTicket issued = issue(analyst, "scans", now.plusSeconds(3600));

        assertThat(issued.ticket()).matches("[A-Za-z0-9_-]{43}");
        assertThat(issued.stream()).isEqualTo("/api/v1/streams/scans");
        StreamTicket ticket = stored.getValue();
        assertThat(ticket.hash()).isEqualTo(Sha256.hex(issued.ticket())).doesNotContain(issued.ticket());
        assertThat(ticket.subject()).isEqualTo("u-1");
        assertThat(ticket.tenantId()).isEqualTo("acme");
        assertThat(ticket.stream()).isEqualTo("/api/v1/streams/scans");
        assertThat(ticket.createdAt()).isEqualTo(now);
        assertThat(ticket.tokenExpiresAt()).isEqualTo(now.plusSeconds(3600));
    }

    @Test
    void aTicketKeepsOnlyTheScopesTheServiceKnows() {
        issue(analyst, "threats", now.plusSeconds(3600));

        assertThat(stored.getValue().roles()).containsExactly(Role.USER, Role.ANALYST);
        assertThat(stored.getValue().scopes()).containsExactly("scans:write");
    }

    @Test
    void aTicketLivesTheConfiguredTtl() {
        IssuedTicket issued = issue(analyst, "scans", now.plusSeconds(3600));

        assertThat(issued.expiresAt()).isEqualTo(now.plusSeconds(60));
        assertThat(stored.getValue().expiresAt()).isEqualTo(now.plusSeconds(60));
    }

    @Test
    void aTicketNeverOutlivesTheTokenThatCreatedIt() {
        IssuedTicket issued = issue(analyst, "scans", now.plusSeconds(20));

        assertThat(issued.expiresAt()).isEqualTo(now.plusSeconds(20));
    }

    @Test
    void aTokenAlreadyPastItsExpiryWithinTheClockSkewGetsNoTicket() {
        StepVerifier.create(service.issue(analyst, "scans", now.minusSeconds(5)))
                .expectError(CredentialsExpiredException.class).verify();
        verifyNoInteractions(repository);
    }

    @Test
    void onlyAnAdminGetsATicketForTheAuditStream() {
        StepVerifier.create(service.issue(analyst, "audit", now.plusSeconds(3600)))
                .expectErrorSatisfies(failure -> assertThat(failure).isInstanceOf(AccessDeniedException.class)
                        .hasMessageContaining("ADMIN"))
                .verify();
        verifyNoInteractions(repository);

        issue(caller(Set.of(Role.ADMIN), Set.of()), "audit", now.plusSeconds(3600));
        assertThat(stored.getValue().stream()).isEqualTo("/api/v1/streams/audit");
    }

    @Test
    void aJobTicketNamesTheJobsStream() {
        IssuedTicket issued = issue(analyst, "jobs/j-1", now.plusSeconds(3600));

        assertThat(issued.stream()).isEqualTo("/api/v1/streams/jobs/j-1");
    }

    @Test
    void redeemingLooksUpTheHashOfThePresentedTicketForThatPathAtTheClocksTime() {
        String ticket = "A".repeat(43);
        given(repository.redeem(Sha256.hex(ticket), "/api/v1/streams/scans", now)).willReturn(Mono.empty());

        StepVerifier.create(service.redeem(ticket, "/api/v1/streams/scans")).verifyComplete();
        verify(repository).redeem(Sha256.hex(ticket), "/api/v1/streams/scans", now);
    }

    @Test
    void aValueThatWasNeverIssuedCostsNoDatabaseRoundTrip() {
        for (String presented : List.of("", "short", "A".repeat(44), "A".repeat(42) + "=", "A".repeat(42) + "+",
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln")) {
            StepVerifier.create(service.redeem(presented, "/api/v1/streams/scans")).verifyComplete();
        }
        verify(repository, never()).redeem(anyString(), any(), any());
    }

    @Test
    void aRedeemedTicketGivesBackTheClaimsOfTheTokenThatCreatedIt() {
        StreamTicket ticket = new StreamTicket("ab".repeat(32), "u-1", "acme", List.of(Role.USER, Role.ANALYST),
                List.of("scans:write", "service:operator"), "/api/v1/streams/scans", now, now.plusSeconds(60),
                now.plusSeconds(3600));
        given(repository.redeem(anyString(), any(), any())).willReturn(Mono.just(ticket));

        Jwt claims = service.redeem("A".repeat(43), "/api/v1/streams/scans").block();

        assertThat(claims.getSubject()).isEqualTo("u-1");
        assertThat(claims.getClaimAsString(JwtClaims.TENANT)).isEqualTo("acme");
        assertThat(claims.getClaimAsStringList(JwtClaims.ROLES)).containsExactly("USER", "ANALYST");
        assertThat(claims.getClaimAsString(JwtClaims.SCOPE)).isEqualTo("scans:write service:operator");
        assertThat(claims.getIssuedAt()).isEqualTo(now);
        assertThat(claims.getExpiresAt()).isEqualTo(now.plusSeconds(3600));
        assertThat(claims.getTokenValue()).isEqualTo(StreamTicketService.TOKEN_VALUE);
    }

    @Test
    void twoTicketsAreNeverTheSame() {
        String first = issue(analyst, "scans", now.plusSeconds(3600)).ticket();
        String second = service.issue(analyst, "scans", now.plusSeconds(3600)).block().ticket();

        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void anIssuedTicketDoesNotPrintItself() {
        IssuedTicket issued = issue(analyst, "scans", now.plusSeconds(3600));

        assertThat(issued.toString()).doesNotContain(issued.ticket());
    }

    private IssuedTicket issue(Caller caller, String stream, Instant tokenExpiresAt) {
        given(repository.insert(any())).willAnswer(invocation -> Mono.just(invocation.getArgument(0)));
        IssuedTicket issued = service.issue(caller, stream, tokenExpiresAt).block();
        verify(repository, org.mockito.Mockito.atLeastOnce()).insert(stored.capture());
        return issued;
    }

    private static Caller caller(Set<Role> roles, Set<String> scopes) {
        return new Caller("u-1", "acme", roles, scopes, "10.0.0.1", "test", "req-1");
    }
}
