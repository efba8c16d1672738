package com.phishnet.store.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.phishnet.store.audit.AuditEventType;
import com.phishnet.store.audit.AuditService;
import com.phishnet.store.platform.crypto.BlindIndex;
import com.phishnet.store.platform.crypto.KeyRing;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.support.MarkingOperator;
import com.phishnet.store.tokens.RefreshTokenRequests.RefreshTokenProperties;
import com.phishnet.store.users.GuardedUser;
import com.phishnet.store.users.UserStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.security.access.AccessDeniedException;

/**
 * Issuing a family (only to a user the users feature's own guard finds active, {@link GuardedUser}) and revoking
 * one token (only the caller's own unless an ADMIN, even past an owner lookup that let the caller through).
 */
class RefreshTokenServiceTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    private final RefreshTokenRepository repository = mock(RefreshTokenRepository.class);
    private final AuditService audit = mock(AuditService.class);
    private final Transactions transactions = new Transactions(new MarkingOperator());
    private final AtomicInteger ids = new AtomicInteger();
    private final Caller admin = new Caller("admin-1", "acme", Set.of(Role.ADMIN), Set.of(), "10.0.0.1", "test", "req-1");
    private final Caller holder = new Caller("u-1", "acme", Set.of(Role.USER), Set.of(), "10.0.0.1", "test", "req-2");

    @ParameterizedTest
    @EnumSource(value = UserStatus.class, names = {"DEACTIVATED", "SUSPENDED"})
    void aUserWhoIsNotActiveIsIssuedNoTokenAndNothingIsAudited(UserStatus status) {
        writesSucceed();

        StepVerifier.create(serviceFor(status).issue(admin, "u-1"))
                .expectErrorSatisfies(failure -> {
                    assertThat(failure).isInstanceOf(ApiException.Conflict.class).hasMessage("User u-1 is " + status + ".");
                    assertThat(((ApiException) failure).status().value()).isEqualTo(409);
                })
                .verify();
        verifyNoInteractions(repository, audit);
    }

    @Test
    void anActiveUsersTokenIsIssuedAndAuditedInTheTransactionThatFoundThemActive() {
        writesSucceed();

        StepVerifier.create(serviceFor(UserStatus.ACTIVE).issue(admin, "u-1"))
                .assertNext(issued -> assertThat(issued.token()).isNotBlank())
                .verifyComplete();
        verify(repository).insert(argThat(token -> token.tenantId().equals("acme") && token.userId().equals("u-1")
                && token.status() == RefreshTokenStatus.ACTIVE));
        verify(audit).record(argThat(event -> event.type() == AuditEventType.REFRESH_TOKEN_ISSUED));
        assertThat(insertUnits).as("the token is written in the unit that found the user ACTIVE")
                .hasSize(1).isEqualTo(guarded.activeChecks());
    }

    @Test
    void theRevokeNamesTheCallersTenantWhateverTheTokenReadBackSays() {
        RefreshToken elsewhere = new RefreshToken("t-1", "globex", "u-1", "f-1", "hash", RefreshTokenStatus.ACTIVE, NOW,
                NOW.plus(Duration.ofDays(30)), null, null);
        given(repository.find("acme", "t-1")).willReturn(Mono.just(elsewhere));
        writesSucceed();

        StepVerifier.create(serviceFor(UserStatus.ACTIVE).revoke(holder, "t-1")).verifyComplete();
        verify(repository).revokeHeldBy("acme", "t-1", "u-1");
    }

    @Test
    void aHoldersRevokeWritesThroughAFilterOnTheirOwnTokens() {
        given(repository.find("acme", "t-1")).willReturn(Mono.just(tokenOf("u-1")));
        writesSucceed();

        StepVerifier.create(serviceFor(UserStatus.ACTIVE).revoke(holder, "t-1")).verifyComplete();
        verify(repository).revokeHeldBy("acme", "t-1", "u-1");
        verify(repository, never()).revoke(any(), any());
        verify(audit).record(argThat(event -> event.type() == AuditEventType.REFRESH_TOKEN_REVOKED));
    }

    @Test
    void anAdminRevokesTheTenantsTokenWhoeverHoldsIt() {
        given(repository.find("acme", "t-1")).willReturn(Mono.just(tokenOf("u-2")));
        writesSucceed();

        StepVerifier.create(serviceFor(UserStatus.ACTIVE).revoke(admin, "t-1")).verifyComplete();
        verify(repository).revoke("acme", "t-1");
        verify(repository, never()).revokeHeldBy(any(), any(), any());
    }

    /** What the route's owner lookup would have refused, had it found the token: the same 403, nothing written. */
    @Test
    void aUserWhoReachesAnotherUsersTokenIsRefusedAsTheRouteRefusesThemAndNothingIsRevoked() {
        given(repository.find("acme", "t-1")).willReturn(Mono.just(tokenOf("u-2")));
        writesSucceed();

        StepVerifier.create(serviceFor(UserStatus.ACTIVE).revoke(holder, "t-1"))
                .expectErrorSatisfies(failure -> assertThat(failure).isInstanceOf(AccessDeniedException.class)
                        .hasMessage("This action needs one of the roles [ADMIN]"))
                .verify();
        verify(repository, never()).revoke(any(), any());
        verify(repository, never()).revokeHeldBy(any(), any(), any());
        verifyNoInteractions(audit);
    }

    @Test
    void aTokenTheTenantDoesNotHaveIsNotFoundAndNothingIsRevoked() {
        given(repository.find("acme", "t-9")).willReturn(Mono.empty());
        writesSucceed();

        StepVerifier.create(serviceFor(UserStatus.ACTIVE).revoke(holder, "t-9"))
                .expectErrorSatisfies(failure -> assertThat(failure).isInstanceOf(ApiException.NotFound.class)
                        .hasMessage("No refresh token t-9."))
                .verify();
        verify(repository, never()).revokeHeldBy(any(), any(), any());
        verifyNoInteractions(audit);
    }

    /** Every write and audit entry succeeds when it runs inside a transaction. */
    private void writesSucceed() {
        given(repository.insert(any())).willAnswer(call -> MarkingOperator.recordingUnit(insertUnits,
                Mono.just(call.getArgument(0))));
        given(repository.revoke(anyString(), anyString())).willReturn(MarkingOperator.insideOnly(Mono.just(1L)));
        given(repository.revokeHeldBy(anyString(), anyString(), anyString()))
                .willReturn(MarkingOperator.insideOnly(Mono.just(1L)));
        given(audit.record(any())).willReturn(MarkingOperator.insideOnly(Mono.empty()));
    }

    private GuardedUser guarded;
    private final List<Integer> insertUnits = new CopyOnWriteArrayList<>();

    private GuardedUser guard(UserStatus status) {
        guarded = GuardedUser.of("acme", "u-1", status, transactions);
        return guarded;
    }

    private RefreshTokenService serviceFor(UserStatus status) {
        return new RefreshTokenService(repository, guard(status).asTokenHolders(),
                audit, transactions, new RefreshTokenProperties(Duration.ofDays(30), Duration.ofMinutes(2)),
                new SecureRandom(), Clock.fixed(NOW, ZoneOffset.UTC), () -> "id-" + ids.incrementAndGet(),
                new BlindIndex(new KeyRing(Map.of("k1", filled(1)), "k1", filled(2))));
    }

    private static RefreshToken tokenOf(String userId) {
        return new RefreshToken("t-1", "acme", userId, "f-1", "hash", RefreshTokenStatus.ACTIVE, NOW,
                NOW.plus(Duration.ofDays(30)), null, null);
    }

    private static byte[] filled(int value) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) value);
        return key;
    }
}
