package com.phishnet.store.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.phishnet.store.audit.AuditService;
import com.phishnet.store.platform.crypto.BlindIndex;
import com.phishnet.store.platform.crypto.KeyRing;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.support.MutableClock;
import com.phishnet.store.support.UnknownCommitOperator;
import com.phishnet.store.tokens.RefreshTokenRequests.RefreshTokenProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Rotation when the commit outcome is unknown and when a client retries after losing the response, over a
 * mocked repository that keeps the tokens as the committed state would: the old token and its successor.
 */
class RefreshTokenRetryTest {

    private final RefreshTokenRepository repository = mock(RefreshTokenRepository.class);
    private final AuditService audit = mock(AuditService.class);
    private final UnknownCommitOperator operator = UnknownCommitOperator.passThrough();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final AtomicInteger ids = new AtomicInteger();
    private final RefreshTokenService tokens = new RefreshTokenService(repository, mock(TokenHolders.class), audit,
            new Transactions(operator),
            new RefreshTokenProperties(Duration.ofDays(30), Duration.ofMinutes(2)), new SecureRandom(), clock,
            () -> "s-" + ids.incrementAndGet(),
            new BlindIndex(new KeyRing(Map.of("k1", new byte[32]), "k1", blindKey())));
    private final Caller user = new Caller("u-1", "acme", Set.of(Role.USER), Set.of(), "10.0.0.1", "test", "req-1");

    private final AtomicReference<RefreshToken> old = new AtomicReference<>();
    private final AtomicReference<RefreshToken> successor = new AtomicReference<>();
    private final Set<String> committedAuditIds = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void committedState() {
        old.set(new RefreshToken("t-old", "acme", "u-1", "f-1", RefreshTokenService.hash("old-secret"),
                RefreshTokenStatus.ACTIVE, clock.instant(), clock.instant().plus(Duration.ofDays(30)), null, null));
        given(repository.byHash(RefreshTokenService.hash("old-secret"))).willAnswer(call -> Mono.just(old.get()));
        given(repository.markUsed(any(), anyString(), any())).willAnswer(call -> {
            RefreshToken token = old.get();
            old.set(new RefreshToken(token.id(), token.tenantId(), token.userId(), token.familyId(), token.tokenHash(),
                    RefreshTokenStatus.USED, token.issuedAt(), token.expiresAt(), call.getArgument(2), call.getArgument(1)));
            return Mono.just(true);
        });
        given(repository.insert(any())).willAnswer(call -> {
            successor.set(call.getArgument(0));
            return Mono.just(successor.get());
        });
        given(repository.find(any(), anyString())).willAnswer(call -> Mono.justOrEmpty(successor.get())
                .filter(token -> token.id().equals(call.getArgument(1))));
        given(repository.revokeFamily(any(), any())).willReturn(Mono.just(1L));
        given(audit.record(any())).willReturn(Mono.empty());
        given(audit.record(any(), anyString())).willAnswer(call -> {
            committedAuditIds.add(call.getArgument(1));
            return Mono.empty();
        });
        given(audit.isRecorded(any(), anyString()))
                .willAnswer(call -> Mono.just(committedAuditIds.contains(call.<String>getArgument(1))));
    }

    @Test
    void aReuseWhoseCommitOutcomeIsUnknownRevokesAndAuditsOnce() {
        tokens.rotate(user, "old-secret", null).block();
        operator.failNextCommits(1);

        StepVerifier.create(tokens.rotate(user, "old-secret", null))
                .expectError(InvalidRefreshTokenException.class).verify();
        assertThat(operator.injected()).isEqualTo(1);
        verify(repository, times(1)).revokeFamily("acme", "f-1");
        verify(audit, times(1)).record(any(), anyString());
    }

    @Test
    void anUnknownCommitThatAppliedAnswersWithTheSuccessorAndLeavesTheFamilyAlone() {
        operator.failNextCommits(1);

        StepVerifier.create(tokens.rotate(user, "old-secret", null))
                .assertNext(rotation -> {
                    assertThat(rotation.issued().id()).isEqualTo(successor.get().id());
                    assertThat(RefreshTokenService.hash(rotation.issued().token())).isEqualTo(successor.get().tokenHash());
                    assertThat(rotation.replayed()).isFalse();
                })
                .verifyComplete();
        assertThat(operator.injected()).isEqualTo(1);
        verify(repository, never()).revokeFamily(any(), any());
        verify(audit, times(1)).record(any());
    }

    @Test
    void aRetryWithTheSameKeyGetsTheSameSuccessorMarkedReplayed() {
        String first = tokens.rotate(user, "old-secret", "rotate-1").map(rotation -> rotation.issued().token()).block();
        clock.advance(Duration.ofSeconds(30));

        StepVerifier.create(tokens.rotate(user, "old-secret", "rotate-1"))
                .assertNext(rotation -> {
                    assertThat(rotation.issued().token()).isEqualTo(first);
                    assertThat(rotation.issued().id()).isEqualTo(successor.get().id());
                    assertThat(rotation.replayed()).isTrue();
                })
                .verifyComplete();
        verify(repository, never()).revokeFamily(any(), any());
        verify(audit, times(1)).record(any());
    }

    @Test
    void aRetryWithAnotherKeyIsReuseAndRevokesTheFamily() {
        tokens.rotate(user, "old-secret", "rotate-1").block();

        StepVerifier.create(tokens.rotate(user, "old-secret", "rotate-2"))
                .expectError(InvalidRefreshTokenException.class).verify();
        verify(repository).revokeFamily("acme", "f-1");
    }

    @Test
    void aSecondPresentationWithoutAKeyIsReuseAndRevokesTheFamily() {
        tokens.rotate(user, "old-secret", "rotate-1").block();

        StepVerifier.create(tokens.rotate(user, "old-secret", null))
                .expectError(InvalidRefreshTokenException.class).verify();
        verify(repository).revokeFamily("acme", "f-1");
    }

    @Test
    void aRetryAfterTheWindowIsReuseAndRevokesTheFamily() {
        tokens.rotate(user, "old-secret", "rotate-1").block();
        clock.advance(Duration.ofMinutes(2));

        StepVerifier.create(tokens.rotate(user, "old-secret", "rotate-1"))
                .expectError(InvalidRefreshTokenException.class).verify();
        verify(repository).revokeFamily("acme", "f-1");
    }

    @Test
    void theDerivedSuccessorDependsOnTheTokenAndTheKeyAndIsAFullLengthSecret() {
        assertThat(tokens.derivedSecret("old-secret", "rotate-1")).hasSize(43)
                .isEqualTo(tokens.derivedSecret("old-secret", "rotate-1"))
                .isNotEqualTo(tokens.derivedSecret("old-secret", "rotate-2"))
                .isNotEqualTo(tokens.derivedSecret("other-secret", "rotate-1"));
    }

    private static byte[] blindKey() {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) 7);
        return key;
    }
}
