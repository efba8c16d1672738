package com.phishnet.store.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The rotation state machine, one transition per test. */
class RefreshTokenRulesTest {

    private final Instant now = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void anActiveUnexpiredTokenRotates() {
        assertThat(RefreshTokenRules.onPresented(token(RefreshTokenStatus.ACTIVE, now.plusSeconds(60)), now))
                .isEqualTo(RefreshTokenRules.Outcome.ROTATE);
    }

    @Test
    void aUsedTokenIsReuse() {
        assertThat(RefreshTokenRules.onPresented(token(RefreshTokenStatus.USED, now.plusSeconds(60)), now))
                .isEqualTo(RefreshTokenRules.Outcome.REUSE_DETECTED);
    }

    @Test
    void aUsedTokenIsReuseEvenAfterItExpired() {
        assertThat(RefreshTokenRules.onPresented(token(RefreshTokenStatus.USED, now.minusSeconds(60)), now))
                .isEqualTo(RefreshTokenRules.Outcome.REUSE_DETECTED);
    }

    @Test
    void anActiveTokenPastItsExpiryIsExpiredBeforeTheTtlMonitorDeletesIt() {
        assertThat(RefreshTokenRules.onPresented(token(RefreshTokenStatus.ACTIVE, now.minusMillis(1)), now))
                .isEqualTo(RefreshTokenRules.Outcome.EXPIRED);
    }

    @Test
    void expiryIsExclusive() {
        assertThat(RefreshTokenRules.onPresented(token(RefreshTokenStatus.ACTIVE, now), now))
                .isEqualTo(RefreshTokenRules.Outcome.EXPIRED);
    }

    @Test
    void aRevokedTokenIsRevoked() {
        assertThat(RefreshTokenRules.onPresented(token(RefreshTokenStatus.REVOKED, now.plusSeconds(60)), now))
                .isEqualTo(RefreshTokenRules.Outcome.REVOKED);
    }

    @Test
    void onlyTheHashOfATokenIsKeptAndItIsStable() {
        assertThat(RefreshTokenService.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void theUsedTokensOwnSuccessorIsTheSameExchangeEvenAfterTheRetryWindow() {
        RefreshToken used = used(now.minusSeconds(600));

        assertThat(RefreshTokenRules.isSameExchange(used, successor(RefreshTokenStatus.ACTIVE, "hash-s"), "s1", "hash-s",
                now, WINDOW)).isTrue();
    }

    @Test
    void aClientRetryWithTheSameDerivedSecretIsTheSameExchangeOnlyWithinTheWindow() {
        RefreshToken successor = successor(RefreshTokenStatus.ACTIVE, "hash-s");

        assertThat(RefreshTokenRules.isSameExchange(used(now.minusSeconds(119)), successor, "s9", "hash-s", now, WINDOW))
                .isTrue();
        assertThat(RefreshTokenRules.isSameExchange(used(now.minusSeconds(120)), successor, "s9", "hash-s", now, WINDOW))
                .isFalse();
    }

    @Test
    void anotherSecretIsReuse() {
        assertThat(RefreshTokenRules.isSameExchange(used(now.minusSeconds(1)), successor(RefreshTokenStatus.ACTIVE, "hash-s"),
                "s9", "hash-other", now, WINDOW)).isFalse();
    }

    @Test
    void aSuccessorThatWasAlreadyUsedOrRevokedMakesItReuse() {
        RefreshToken used = used(now.minusSeconds(1));

        assertThat(RefreshTokenRules.isSameExchange(used, successor(RefreshTokenStatus.USED, "hash-s"), "s1", "hash-s",
                now, WINDOW)).isFalse();
        assertThat(RefreshTokenRules.isSameExchange(used, successor(RefreshTokenStatus.REVOKED, "hash-s"), "s1", "hash-s",
                now, WINDOW)).isFalse();
    }

    private static final java.time.Duration WINDOW = java.time.Duration.ofMinutes(2);

    private static RefreshToken used(Instant usedAt) {
        return new RefreshToken("t1", "acme", "u1", "f1", "h", RefreshTokenStatus.USED, usedAt.minusSeconds(3600),
                usedAt.plusSeconds(86_400), usedAt, "s1");
    }

    private RefreshToken successor(RefreshTokenStatus status, String tokenHash) {
        return new RefreshToken("s1", "acme", "u1", "f1", tokenHash, status, now.minusSeconds(1), now.plusSeconds(86_400),
                null, null);
    }

    private static RefreshToken token(RefreshTokenStatus status, Instant expiresAt) {
        return new RefreshToken("t1", "acme", "u1", "f1", "h", status, expiresAt.minusSeconds(3600), expiresAt, null, null);
    }
}
