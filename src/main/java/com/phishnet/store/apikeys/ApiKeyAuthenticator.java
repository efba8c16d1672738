package com.phishnet.store.apikeys;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.phishnet.store.platform.crypto.KeyedHash;
import com.phishnet.store.platform.security.ApiKeyVerifier;
import com.phishnet.store.platform.security.JwtClaims;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Verifies an {@code X-API-Key} for the security filter chain. A malformed key costs nothing; a well-formed one
 * costs one primary read by its prefix (unique index) on every request: no cache, so a revocation or a rotation
 * without grace stops the key on the very next request, on every instance. The secret is compared as a keyed hash
 * in constant time, hashed once before the lookup, so a prefix nobody has and a wrong secret cost the same. A good key
 * becomes claims of subject {@code api-key:<id>}, its tenant, no roles and its scopes; its use is recorded in memory
 * ({@link ApiKeyUses}). Failures are not audited (one entry per bad request would let anyone fill the trail); they
 * are 401s, rate limited per address like every request.
 */
@Component
class ApiKeyAuthenticator implements ApiKeyVerifier {

    /** The subject of a key's caller: the key id, so the rate limiter and the audit trail name the key. */
    static final String SUBJECT_PREFIX = "api-key:";
    /** What stands for the token value in the claims: no JWT exists. */
    static final String TOKEN_VALUE = "api-key";
    /**
     * The {@code exp} of a key's claims: the key's expiry, or this long after the request when earlier. Only
     * streams read it: a stream opened with a key ends then (event {@code expired}; the client reconnects with
     * {@code Last-Event-ID} and its key is checked again), so a revoked key's open stream ends within this long.
     * Every other request is authorised afresh.
     */
    static final Duration CLAIMS_LIFETIME = Duration.ofMinutes(5);

    private final ApiKeyRepository repository;
    private final KeyedHash hashes;
    private final ApiKeyUses uses;
    private final Clock clock;

    ApiKeyAuthenticator(ApiKeyRepository repository, KeyedHash apiKeyHashes, ApiKeyUses uses, Clock clock) {
        this.repository = repository;
        this.hashes = apiKeyHashes;
        this.uses = uses;
        this.clock = clock;
    }

    @Override
    public Mono<Jwt> verify(String presentedKey) {
        ApiKeyFormat.Parsed parsed = ApiKeyFormat.parse(presentedKey);
        if (parsed == null) {
            return Mono.empty();
        }
        // Hashed once, before the lookup: a known prefix with a wrong secret costs what an unknown prefix costs.
        String presented = hashes.of(presentedKey);
        return repository.byPrefix(parsed.prefix())
                .filter(key -> KeyedHash.sameHash(presented, key.hash()))
                .flatMap(key -> {
                    // One reading of the clock for the check and the claims: with two, a key expiring between them
                    // would pass the check and give claims with exp <= iat (Spring refuses to build those).
                    Instant now = clock.instant();
                    if (!ApiKeyRules.usable(key, now)) {
                        return Mono.empty();
                    }
                    uses.record(key.tenantId(), key.id(), now);
                    return Mono.just(claimsOf(key, now));
                });
    }

    static Jwt claimsOf(ApiKey key, Instant now) {
        Instant end = now.plus(CLAIMS_LIFETIME);
        return Jwt.withTokenValue(TOKEN_VALUE)
                .header("typ", TOKEN_VALUE)
                .subject(SUBJECT_PREFIX + key.id())
                .claim(JwtClaims.TENANT, key.tenantId())
                .claim(JwtClaims.ROLES, java.util.List.of())
                .claim(JwtClaims.SCOPE, String.join(" ", key.scopes()))
                .issuedAt(now)
                .expiresAt(key.expiresAt() != null && key.expiresAt().isBefore(end) ? key.expiresAt() : end)
                .build();
    }
}
