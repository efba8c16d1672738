package com.phishnet.store.apikeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.phishnet.store.apikeys.ApiKeyRequests.ApiKeyProperties;
import com.phishnet.store.platform.crypto.KeyRing;
import com.phishnet.store.platform.crypto.KeyedHash;
import com.phishnet.store.platform.security.JwtClaims;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.security.oauth2.jwt.Jwt;

/** Verifying a presented key: the claims of a good one, and the same nothing for every bad one. */
class ApiKeyAuthenticatorTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    private final ApiKeyRepository repository = mock(ApiKeyRepository.class);
    private final KeyedHash hashes = new KeyedHash(new KeyRing(Map.of("k1", filled(1)), "k1", filled(2)),
            ApiKeyConfig.HASH_PURPOSE);
    private final ApiKeyUses uses = new ApiKeyUses(repository,
            new ApiKeyProperties(Duration.ofSeconds(60), Duration.ofDays(730), Duration.ofHours(24)),
            new SimpleMeterRegistry());
    private final ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(repository, hashes, uses,
            java.time.Clock.fixed(NOW, ZoneOffset.UTC));
    private final ApiKeyFormat.Generated generated = ApiKeyFormat.generate(new SecureRandom());

    @Test
    void aGoodKeyIsItsTenantAndScopesWithoutARoleAndItsUseIsRecordedInMemory() {
        stored(null, null);

        Jwt claims = authenticator.verify(generated.key()).block();

        assertThat(claims.getSubject()).isEqualTo("api-key:k-1");
        assertThat(claims.getClaimAsString(JwtClaims.TENANT)).isEqualTo("acme");
        assertThat(claims.getClaimAsStringList(JwtClaims.ROLES)).isEmpty();
        assertThat(claims.getClaimAsString(JwtClaims.SCOPE)).isEqualTo("scans:write reputation:write");
        assertThat(claims.getExpiresAt()).isEqualTo(NOW.plus(ApiKeyAuthenticator.CLAIMS_LIFETIME));
        assertThat(uses.pending()).containsEntry("k-1", new ApiKeyUses.Use("acme", "k-1", NOW));
        verify(repository).byPrefix(generated.prefix());
    }

    @Test
    void theClaimsOfAKeyExpiringSoonEndWithTheKey() {
        stored(NOW.plusSeconds(30), null);

        assertThat(authenticator.verify(generated.key()).block().getExpiresAt()).isEqualTo(NOW.plusSeconds(30));
    }

    @Test
    void theClaimsOfAKeyLastFiveMinutesSoAnOpenStreamOfARevokedKeyEndsWithinThem() {
        stored(NOW.plus(Duration.ofDays(30)), null);

        Jwt claims = authenticator.verify(generated.key()).block();

        assertThat(ApiKeyAuthenticator.CLAIMS_LIFETIME).isEqualTo(Duration.ofMinutes(5));
        assertThat(claims.getIssuedAt()).isEqualTo(NOW);
        assertThat(claims.getExpiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
    }

    @Test
    void theClockIsReadOnceSoAKeyExpiringMeanwhileNeverGivesClaimsEndingBeforeTheyStart() {
        // The key expires at NOW; the first reading is just before it, any later one at or after it. With a second
        // reading for the claims they would be iat = exp = NOW, which Spring refuses to build (a 500).
        stored(NOW, null);
        SteppingClock clock = new SteppingClock(NOW.minusMillis(1), NOW, NOW.plusSeconds(1));
        ApiKeyAuthenticator stepping = new ApiKeyAuthenticator(repository, hashes, uses, clock);

        Jwt claims = stepping.verify(generated.key()).block();

        assertThat(claims.getIssuedAt()).isEqualTo(NOW.minusMillis(1));
        assertThat(claims.getExpiresAt()).isEqualTo(NOW);
        assertThat(uses.pending()).containsEntry("k-1", new ApiKeyUses.Use("acme", "k-1", NOW.minusMillis(1)));
        assertThat(clock.readings).isEqualTo(1);
    }

    @Test
    void aRevokedKeyAuthenticatesNothing() {
        stored(null, NOW.minusSeconds(1));

        StepVerifier.create(authenticator.verify(generated.key())).verifyComplete();
        assertThat(uses.pending()).isEmpty();
    }

    @Test
    void anExpiredKeyAuthenticatesNothing() {
        stored(NOW, null);

        StepVerifier.create(authenticator.verify(generated.key())).verifyComplete();
    }

    @Test
    void theRightPrefixWithAnotherSecretAuthenticatesNothing() {
        stored(null, null);
        String forged = "pnk_" + generated.prefix() + "_" + ApiKeyFormat.generate(new SecureRandom()).secret();

        StepVerifier.create(authenticator.verify(forged)).verifyComplete();
        assertThat(uses.pending()).isEmpty();
    }

    @Test
    void anUnknownPrefixAuthenticatesNothing() {
        given(repository.byPrefix(anyString())).willReturn(Mono.empty());

        StepVerifier.create(authenticator.verify(generated.key())).verifyComplete();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "pnk_", "pnk_abc", "Bearer x", "pnk_ABCDEFGH2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void aMalformedKeyIsRefusedWithoutAskingTheDatabase(String presented) {
        StepVerifier.create(authenticator.verify(presented)).verifyComplete();

        verify(repository, never()).byPrefix(anyString());
    }

    private void stored(Instant expiresAt, Instant revokedAt) {
        given(repository.byPrefix(generated.prefix())).willReturn(Mono.just(new ApiKey("k-1", "acme", "scanner",
                generated.prefix(), hashes.of(generated.key()), List.of("scans:write", "reputation:write"), "admin-1",
                NOW.minusSeconds(3600), expiresAt, revokedAt, revokedAt == null ? null : "admin-1", null, null, null)));
    }

    /** A clock giving the instants in turn, then the last one again. */
    private static final class SteppingClock extends java.time.Clock {

        private final Instant[] instants;
        private int readings;

        SteppingClock(Instant... instants) {
            this.instants = instants;
        }

        @Override
        public Instant instant() {
            return instants[Math.min(readings++, instants.length - 1)];
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static byte[] filled(int value) {
        byte[] key = new byte[KeyRing.KEY_BYTES];
        Arrays.fill(key, (byte) value);
        return key;
    }
}
