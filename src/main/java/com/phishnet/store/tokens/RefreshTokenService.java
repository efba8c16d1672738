package com.phishnet.store.tokens;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;

import com.phishnet.store.audit.AuditEvent;
import com.phishnet.store.audit.AuditEventType;
import com.phishnet.store.audit.AuditOutcome;
import com.phishnet.store.audit.AuditService;
import com.phishnet.store.platform.crypto.Sha256;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.Role;
import com.phishnet.store.platform.time.IdSource;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.tokens.RefreshTokenRequests.IssuedToken;
import com.phishnet.store.tokens.RefreshTokenRequests.RefreshTokenProperties;

import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Refresh tokens in rotation families. Only a SHA-256 of each token is stored (the tokens are 256 random bits,
 * so a plain hash cannot be reversed by guessing). Exchanging a token marks it used and issues its successor;
 * presenting a used token again revokes the whole family and is audited as a security event.
 */
@Service
public class RefreshTokenService {

    private static final int TOKEN_BYTES = 32;

    private final RefreshTokenRepository repository;
    private final AuditService audit;
    private final Transactions transactions;
    private final RefreshTokenProperties properties;
    private final SecureRandom random;
    private final Clock clock;
    private final IdSource ids;

    public RefreshTokenService(RefreshTokenRepository repository, AuditService audit, Transactions transactions,
            RefreshTokenProperties properties, SecureRandom random, Clock clock, IdSource ids) {
        this.repository = repository;
        this.audit = audit;
        this.transactions = transactions;
        this.properties = properties;
        this.random = random;
        this.clock = clock;
        this.ids = ids;
    }

    /**
     * Starts a new family for a user inside the caller's transaction; the caller has checked, in that
     * transaction, that the user is active.
     */
    public Mono<IssuedToken> issueWithin(Caller caller, String userId) {
        String familyId = ids.newId();
        return insertToken(caller.tenantId(), userId, familyId)
                .flatMap(issued -> audit.record(AuditEvent.of(caller, AuditEventType.REFRESH_TOKEN_ISSUED,
                        RefreshTokenFields.COLLECTION, issued.id()).withDetail("familyId", familyId)).thenReturn(issued));
    }

    /**
     * Exchanges a token for its successor. Reading, marking used and issuing happen in one transaction, so two
     * concurrent exchanges of the same token cannot both succeed: the loser re-runs, finds it used, and that
     * counts as reuse. A reuse is committed (family revoked, event audited) before the request fails.
     */
    public Mono<IssuedToken> rotate(Caller caller, String presented) {
        String hash = hash(presented);
        return transactions.run(caller.tenantId(), () -> repository.byHash(hash)
                        .filter(token -> token.tenantId().equals(caller.tenantId()))
                        .flatMap(token -> switch (RefreshTokenRules.onPresented(token, clock.instant())) {
                            case ROTATE -> exchange(caller, token);
                            case REUSE_DETECTED -> revokeFamilyForReuse(caller, token).thenReturn(Exchange.reused());
                            case EXPIRED -> Mono.just(Exchange.rejected("The refresh token has expired."));
                            case REVOKED -> Mono.just(Exchange.rejected("The refresh token has been revoked."));
                        })
                        .defaultIfEmpty(Exchange.rejected("Unknown refresh token.")))
                .flatMap(exchange -> exchange.issued() != null ? Mono.just(exchange.issued())
                        : Mono.error(new InvalidRefreshTokenException(exchange.reason())));
    }

    public Mono<Void> revoke(Caller caller, String tokenId) {
        return transactions.run(caller.tenantId(), () -> repository.find(caller.tenantId(), tokenId)
                .switchIfEmpty(Mono.error(() -> new ApiException.NotFound("No refresh token " + tokenId + ".")))
                .flatMap(token -> {
                    caller.requireSelfOrAnyRole(token.userId(), Role.ADMIN);
                    return repository.revoke(caller.tenantId(), tokenId);
                })
                .flatMap(revoked -> audit.record(AuditEvent.of(caller, AuditEventType.REFRESH_TOKEN_REVOKED,
                        RefreshTokenFields.COLLECTION, tokenId)))
                .then());
    }

    public Mono<Void> revokeFamily(Caller caller, String familyId) {
        caller.requireAnyRole(Role.ADMIN);
        return transactions.run(caller.tenantId(), () -> repository.familyExists(caller.tenantId(), familyId)
                .filter(Boolean::booleanValue)
                .switchIfEmpty(Mono.error(() -> new ApiException.NotFound("No refresh-token family " + familyId + ".")))
                .flatMap(exists -> repository.revokeFamily(caller.tenantId(), familyId))
                .flatMap(count -> audit.record(AuditEvent.of(caller, AuditEventType.REFRESH_TOKEN_FAMILY_REVOKED,
                        "refresh_token_families", familyId).withDetail("revoked", Long.toString(count))))
                .then());
    }

    /** Revokes every active token of a user inside the caller's transaction (used by deactivation). */
    public Mono<Long> revokeAllWithin(Caller caller, String userId) {
        return repository.revokeUser(caller.tenantId(), userId);
    }

    private Mono<Exchange> exchange(Caller caller, RefreshToken token) {
        String successorId = ids.newId();
        return repository.markUsed(token, successorId, clock.instant())
                .flatMap(marked -> marked
                        ? insertToken(token.tenantId(), token.userId(), token.familyId(), successorId)
                                .flatMap(issued -> audit.record(AuditEvent.of(caller, AuditEventType.REFRESH_TOKEN_ROTATED,
                                                RefreshTokenFields.COLLECTION, token.id()).withDetail("successor", issued.id()))
                                        .thenReturn(Exchange.rotated(issued)))
                        // Read as ACTIVE, found used when written: another exchange got there first, so this is a reuse.
                        : revokeFamilyForReuse(caller, token).thenReturn(Exchange.reused()));
    }

    private Mono<Void> revokeFamilyForReuse(Caller caller, RefreshToken token) {
        return repository.revokeFamily(token.tenantId(), token.familyId())
                .flatMap(revoked -> audit.record(AuditEvent.of(caller, AuditEventType.REFRESH_TOKEN_REUSE_DETECTED,
                                RefreshTokenFields.COLLECTION, token.id())
                        .withOutcome(AuditOutcome.DENIED)
                        .withDetail("familyId", token.familyId())
                        .withDetail("userId", token.userId())
                        .withDetail("revoked", Long.toString(revoked))))
                .then();
    }

    private Mono<IssuedToken> insertToken(String tenantId, String userId, String familyId) {
        return insertToken(tenantId, userId, familyId, ids.newId());
    }

    private Mono<IssuedToken> insertToken(String tenantId, String userId, String familyId, String id) {
        byte[] secret = new byte[TOKEN_BYTES];
        random.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = clock.instant();
        Instant expiresAt = now.plus(properties.refreshTtl());
        return repository.insert(new RefreshToken(id, tenantId, userId, familyId, hash(token),
                        RefreshTokenStatus.ACTIVE, now, expiresAt, null, null))
                .map(saved -> new IssuedToken(saved.id(), token, familyId, expiresAt));
    }

    static String hash(String token) {
        return Sha256.hex(token);
    }

    /** What one exchange came to: a new token, or the reason it was refused. */
    private record Exchange(IssuedToken issued, String reason) {

        static Exchange rotated(IssuedToken issued) {
            return new Exchange(issued, null);
        }

        static Exchange reused() {
            return new Exchange(null, "The refresh token was already used; its family has been revoked.");
        }

        static Exchange rejected(String reason) {
            return new Exchange(null, reason);
        }
    }
}
