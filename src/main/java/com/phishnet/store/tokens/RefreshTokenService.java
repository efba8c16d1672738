package com.phishnet.store.tokens;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import com.phishnet.store.audit.AuditEvent;
import com.phishnet.store.audit.AuditEventType;
import com.phishnet.store.audit.AuditOutcome;
import com.phishnet.store.audit.AuditService;
import com.phishnet.store.platform.crypto.BlindIndex;
import com.phishnet.store.platform.crypto.Sha256;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.security.Access.Target;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.time.IdSource;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.tokens.RefreshTokenRequests.IssuedToken;
import com.phishnet.store.tokens.RefreshTokenRequests.RefreshTokenProperties;

import org.springframework.security.access.AccessDeniedException;
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
    static final String SUCCESSOR_DOMAIN = "refresh-tokens.successor";

    private final RefreshTokenRepository repository;
    private final TokenHolders holders;
    private final AuditService audit;
    private final Transactions transactions;
    private final RefreshTokenProperties properties;
    private final SecureRandom random;
    private final Clock clock;
    private final IdSource ids;
    private final BlindIndex secrets;

    public RefreshTokenService(RefreshTokenRepository repository, TokenHolders holders, AuditService audit,
            Transactions transactions, RefreshTokenProperties properties, SecureRandom random, Clock clock, IdSource ids,
            BlindIndex secrets) {
        this.secrets = secrets;
        this.repository = repository;
        this.holders = holders;
        this.audit = audit;
        this.transactions = transactions;
        this.properties = properties;
        this.random = random;
        this.clock = clock;
        this.ids = ids;
    }

    /** Starts a new family for a user, in a transaction that requires the user to be active. */
    public Mono<IssuedToken> issue(Caller caller, String userId) {
        return holders.forActiveUser(caller, userId, () -> issueWithin(caller, userId));
    }

    private Mono<IssuedToken> issueWithin(Caller caller, String userId) {
        String familyId = ids.newId();
        return insertToken(caller.tenantId(), userId, familyId)
                .flatMap(issued -> audit.record(AuditEvent.of(caller, AuditEventType.REFRESH_TOKEN_ISSUED,
                        RefreshTokenFields.COLLECTION, issued.id()).withDetail("familyId", familyId)).thenReturn(issued));
    }

    /** The outcome of an exchange: the successor, and whether it replays an earlier exchange with the same key. */
    public record Rotation(IssuedToken issued, boolean replayed) {
    }

    /**
     * Exchanges a token for its successor. Reading, marking used and issuing happen in one transaction, so two
     * concurrent exchanges of the same token cannot both succeed: the loser re-runs, finds it used, and that
     * counts as reuse. A reuse is committed (family revoked, event audited) before the request fails.
     * <p>
     * The successor's id and secret are fixed before the transaction, so a re-run after an unknown commit outcome
     * recognises the successor it committed and answers with it instead of calling its own exchange a reuse.
     * With an Idempotency-Key the secret is derived from the presented token and the key (keyed HMAC), so a
     * client that lost the response and retries with the same token and key gets the same successor back, while
     * the successor is still unused and within the retry window; any other second presentation is reuse.
     */
    public Mono<Rotation> rotate(Caller caller, String presented, String idempotencyKey) {
        String hash = hash(presented);
        String successorId = ids.newId();
        String successorSecret = idempotencyKey != null ? derivedSecret(presented, idempotencyKey) : randomSecret();
        Successor planned = new Successor(successorId, successorSecret);
        // Also fixed up front: a re-run after an unknown commit finds this entry and does not audit the reuse twice.
        String reuseAuditId = ids.newId();
        return transactions.runIdempotent(caller.tenantId(), () -> repository.byHash(hash)
                        .filter(token -> token.tenantId().equals(caller.tenantId()))
                        .flatMap(token -> switch (RefreshTokenRules.onPresented(token, clock.instant())) {
                            case ROTATE -> exchange(caller, token, planned, reuseAuditId);
                            case REUSE_DETECTED -> sameExchangeAgain(token, planned)
                                    .switchIfEmpty(Mono.defer(() -> revokeFamilyForReuse(caller, token, reuseAuditId)
                                            .thenReturn(Exchange.reused())));
                            case EXPIRED -> Mono.just(Exchange.rejected("The refresh token has expired."));
                            case REVOKED -> Mono.just(Exchange.rejected("The refresh token has been revoked."));
                        })
                        .defaultIfEmpty(Exchange.rejected("Unknown refresh token.")))
                .flatMap(exchange -> exchange.issued() != null ? Mono.just(new Rotation(exchange.issued(), exchange.replayed()))
                        : Mono.error(new InvalidRefreshTokenException(exchange.reason())));
    }

    /**
     * The used token's successor when it is the one this request would issue: our own commit seen by a re-run
     * (same id), or a client retry with the same token and Idempotency-Key (same derived secret).
     */
    private Mono<Exchange> sameExchangeAgain(RefreshToken used, Successor planned) {
        if (used.replacedBy() == null) {
            return Mono.empty();
        }
        return repository.find(used.tenantId(), used.replacedBy())
                .filter(successor -> RefreshTokenRules.isSameExchange(used, successor, planned.id(), hash(planned.secret()),
                        clock.instant(), properties.rotationRetryWindow()))
                .map(successor -> Exchange.rotated(new IssuedToken(successor.id(), planned.secret(), successor.familyId(),
                        successor.expiresAt()), !successor.id().equals(planned.id())));
    }

    /**
     * Revokes one token. The route's rule has admitted only its holder or an ADMIN, but it asked who the holder is
     * in a read of its own, before this transaction; so the transaction applies the rule again to the token it
     * reads (the same 403) and scopes the write to the caller's own tokens unless the caller is an ADMIN. A lookup
     * gone wrong then still revokes nothing of another user's.
     */
    public Mono<Void> revoke(Caller caller, String tokenId) {
        return transactions.run(caller.tenantId(), () -> repository.find(caller.tenantId(), tokenId)
                .switchIfEmpty(Mono.error(() -> new ApiException.NotFound("No refresh token " + tokenId + ".")))
                .flatMap(token -> revokeAsHolderOrAdmin(caller, token.userId(), tokenId))
                .flatMap(revoked -> audit.record(AuditEvent.of(caller, AuditEventType.REFRESH_TOKEN_REVOKED,
                        RefreshTokenFields.COLLECTION, tokenId)))
                .then());
    }

    /** The write names the caller's tenant, never the one read back, like every query of the service. */
    private Mono<Long> revokeAsHolderOrAdmin(Caller caller, String holderId, String tokenId) {
        String refusal = Rule.OWNER_OR_ADMIN.refusal(caller, new Target(holderId, List.of()));
        if (refusal != null) {
            return Mono.error(new AccessDeniedException(refusal));
        }
        return Rule.ADMIN.admits(caller) ? repository.revoke(caller.tenantId(), tokenId)
                : repository.revokeHeldBy(caller.tenantId(), tokenId, caller.subject());
    }

    public Mono<Void> revokeFamily(Caller caller, String familyId) {
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

    /**
     * Deletes every refresh token of a user, used and revoked ones included, inside the caller's transaction (GDPR
     * erasure). Names the tenant itself, as an operator erases in another tenant. Re-runnable.
     */
    public Mono<Long> deleteAllOfUserWithin(String tenantId, String userId) {
        return repository.deleteUser(tenantId, userId);
    }

    private Mono<Exchange> exchange(Caller caller, RefreshToken token, Successor planned, String reuseAuditId) {
        return repository.markUsed(token, planned.id(), clock.instant())
                .flatMap(marked -> marked
                        ? insertToken(token.tenantId(), token.userId(), token.familyId(), planned.id(), planned.secret())
                                .flatMap(issued -> audit.record(AuditEvent.of(caller, AuditEventType.REFRESH_TOKEN_ROTATED,
                                                RefreshTokenFields.COLLECTION, token.id()).withDetail("successor", issued.id()))
                                        .thenReturn(Exchange.rotated(issued, false)))
                        // Read as ACTIVE, found used when written: another exchange got there first, so this is a reuse.
                        : revokeFamilyForReuse(caller, token, reuseAuditId).thenReturn(Exchange.reused()));
    }

    /** Revokes the family and audits the reuse, unless an earlier run of this same request already committed both. */
    private Mono<Void> revokeFamilyForReuse(Caller caller, RefreshToken token, String auditId) {
        return audit.isRecorded(token.tenantId(), auditId)
                .flatMap(recorded -> recorded ? Mono.<Void>empty() : repository.revokeFamily(token.tenantId(), token.familyId())
                        .flatMap(revoked -> audit.record(AuditEvent.of(caller,
                                        AuditEventType.REFRESH_TOKEN_REUSE_DETECTED, RefreshTokenFields.COLLECTION, token.id())
                                .withOutcome(AuditOutcome.DENIED)
                                .withDetail("familyId", token.familyId())
                                .withDetail("userId", token.userId())
                                .withDetail("revoked", Long.toString(revoked)), auditId))
                        .then());
    }

    private Mono<IssuedToken> insertToken(String tenantId, String userId, String familyId) {
        return insertToken(tenantId, userId, familyId, ids.newId(), randomSecret());
    }

    private Mono<IssuedToken> insertToken(String tenantId, String userId, String familyId, String id, String token) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(properties.refreshTtl());
        return repository.insert(new RefreshToken(id, tenantId, userId, familyId, hash(token),
                        RefreshTokenStatus.ACTIVE, now, expiresAt, null, null))
                .map(saved -> new IssuedToken(saved.id(), token, familyId, expiresAt));
    }

    private String randomSecret() {
        byte[] secret = new byte[TOKEN_BYTES];
        random.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /**
     * HMAC-SHA-256 under the server's blind-index key (its own domain) of the presented token and the key: 256
     * bits, like a random token, that only a request carrying both can make the server produce again.
     */
    String derivedSecret(String presented, String idempotencyKey) {
        return secrets.of(SUCCESSOR_DOMAIN, presented.length() + ":" + presented + "|" + idempotencyKey);
    }

    static String hash(String token) {
        return Sha256.hex(token);
    }

    /** What one exchange came to: a new token, or the reason it was refused. */
    private record Exchange(IssuedToken issued, boolean replayed, String reason) {

        static Exchange rotated(IssuedToken issued, boolean replayed) {
            return new Exchange(issued, replayed, null);
        }

        static Exchange reused() {
            return new Exchange(null, false, "The refresh token was already used; its family has been revoked.");
        }

        static Exchange rejected(String reason) {
            return new Exchange(null, false, reason);
        }
    }

    /** The successor this request issues: chosen before the transaction, so every re-run issues the same one. */
    private record Successor(String id, String secret) {

        @Override
        public String toString() {
            return "Successor[id=" + id + "]";
        }
    }
}
