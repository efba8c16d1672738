package com.phishnet.store.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import com.phishnet.store.apikeys.ApiKey.Status;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Caller;
import org.junit.jupiter.api.Test;

/** Which scopes a caller may grant, which expiries are accepted, and which keys may be rotated and until when. */
class ApiKeyRulesTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private static final Duration TWO_YEARS = Duration.ofDays(730);

    @Test
    void aTenantAdminMayGrantScansWrite() {
        assertThat(ApiKeyRules.grantRefusal(admin(), List.of(ApiKeyScope.SCANS_WRITE))).isNull();
    }

    @Test
    void aTenantAdminWithoutTheScopeMayNotGrantReputationWriteNorReadSecret() {
        assertThat(ApiKeyRules.grantRefusal(admin(), List.of(ApiKeyScope.SCANS_WRITE, ApiKeyScope.REPUTATION_WRITE)))
                .contains("reputation:write").doesNotContain("scans:write");
        assertThat(ApiKeyRules.grantRefusal(admin(), List.of(ApiKeyScope.CREDENTIALS_READ_SECRET)))
                .contains("credentials:read-secret");
    }

    @Test
    void aCreatorWhoseTokenCarriesAScopeMayGrantIt() {
        Caller feedAdmin = admin("reputation:write", "credentials:read-secret");

        assertThat(ApiKeyRules.grantRefusal(feedAdmin, List.of(ApiKeyScope.values()))).isNull();
        assertThat(ApiKeyRules.grantRefusal(admin("reputation:write"), List.of(ApiKeyScope.values())))
                .contains("credentials:read-secret").doesNotContain("reputation:write");
    }

    @Test
    void theOperatorScopeIsNoKeyScopeAtAll() {
        assertThat(ApiKeyFields.SCOPE_VALUES).doesNotContain("service:operator");
        assertThat(List.of(ApiKeyScope.values())).extracting(ApiKeyScope::value).doesNotContain("service:operator");
    }

    @Test
    void noExpiryIsAcceptedAndAnExpiryMustBeInTheFutureAndWithinTheMaximumLifetime() {
        assertThat(ApiKeyRules.expiryProblem(null, NOW, TWO_YEARS)).isNull();
        assertThat(ApiKeyRules.expiryProblem(NOW.plusSeconds(1), NOW, TWO_YEARS)).isNull();
        assertThat(ApiKeyRules.expiryProblem(NOW.plus(TWO_YEARS), NOW, TWO_YEARS)).isNull();
        assertThat(ApiKeyRules.expiryProblem(NOW, NOW, TWO_YEARS)).isEqualTo("must be in the future");
        assertThat(ApiKeyRules.expiryProblem(NOW.minusSeconds(1), NOW, TWO_YEARS)).isEqualTo("must be in the future");
        assertThat(ApiKeyRules.expiryProblem(NOW.plus(TWO_YEARS).plusMillis(1), NOW, TWO_YEARS))
                .isEqualTo("must be at most 730 days ahead");
    }

    @Test
    void aKeyIsActiveUntilItsExpiryAndRevokedOnceRevoked() {
        assertThat(key(null, null, null).statusAt(NOW)).isEqualTo(Status.ACTIVE);
        assertThat(key(NOW.plusMillis(1), null, null).statusAt(NOW)).isEqualTo(Status.ACTIVE);
        assertThat(key(NOW, null, null).statusAt(NOW)).isEqualTo(Status.EXPIRED);
        assertThat(key(NOW.plusSeconds(60), NOW.minusSeconds(1), null).statusAt(NOW)).isEqualTo(Status.REVOKED);
        assertThat(ApiKeyRules.usable(key(NOW, null, null), NOW)).isFalse();
        assertThat(ApiKeyRules.usable(key(null, NOW, null), NOW)).isFalse();
        assertThat(ApiKeyRules.usable(key(null, null, null), NOW)).isTrue();
    }

    @Test
    void onlyAnActiveKeyNotYetRotatedCanBeRotated() {
        assertThat(ApiKeyRules.rotationRefusal(key(null, null, null), NOW)).isNull();
        assertThat(ApiKeyRules.rotationRefusal(key(null, NOW.minusSeconds(5), null), NOW)).contains("revoked");
        assertThat(ApiKeyRules.rotationRefusal(key(NOW.minusSeconds(5), null, null), NOW)).contains("expired");
        // Within its grace period the old key still works, but it has a successor already.
        assertThat(ApiKeyRules.rotationRefusal(key(NOW.plusSeconds(600), null, "k-2"), NOW)).contains("k-2");
    }

    @Test
    void theOldKeyRetiresAtTheEndOfTheGraceButNeverLaterThanItsOwnExpiry() {
        assertThat(ApiKeyRules.retiredAt(key(null, null, null), NOW, Duration.ZERO)).isEqualTo(NOW);
        assertThat(ApiKeyRules.usable(withExpiry(ApiKeyRules.retiredAt(key(null, null, null), NOW, Duration.ZERO)),
                NOW)).isFalse();
        assertThat(ApiKeyRules.retiredAt(key(null, null, null), NOW, Duration.ofHours(1)))
                .isEqualTo(NOW.plusSeconds(3600));
        assertThat(ApiKeyRules.retiredAt(key(NOW.plusSeconds(60), null, null), NOW, Duration.ofHours(1)))
                .isEqualTo(NOW.plusSeconds(60));
    }

    private static ApiKey withExpiry(Instant expiresAt) {
        return key(expiresAt, null, null);
    }

    static ApiKey key(Instant expiresAt, Instant revokedAt, String rotatedTo) {
        return new ApiKey("k-1", "acme", "scanner", "abcdefgh2345", "A".repeat(43), List.of("scans:write"),
                "admin-1", NOW.minusSeconds(3600), expiresAt, revokedAt, revokedAt == null ? null : "admin-1", null,
                null, rotatedTo);
    }

    private static Caller admin(String... scopes) {
        return new Caller("admin-1", "acme", Set.of(Role.ADMIN), Set.of(scopes), "10.0.0.1", "test", "req-1");
    }
}
