package com.phishnet.store.credentials;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import com.phishnet.store.audit.AuditEvent;
import com.phishnet.store.audit.AuditEventType;
import com.phishnet.store.audit.AuditService;
import com.phishnet.store.credentials.CredentialRequests.CredentialInput;
import com.phishnet.store.credentials.CredentialRequests.CredentialSecret;
import com.phishnet.store.credentials.CredentialRequests.CredentialView;
import com.phishnet.store.credentials.CredentialRequests.RotateTokens;
import com.phishnet.store.platform.crypto.BlindIndex;
import com.phishnet.store.platform.crypto.FieldCipher;
import com.phishnet.store.platform.crypto.FieldContext;
import com.phishnet.store.platform.crypto.Sealed;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.time.IdSource;
import com.phishnet.store.platform.web.ApiException;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Mail-provider OAuth credentials: stored, rotated and revoked with their audit entries in one transaction;
 * tokens sealed per field before they reach the repository, opened only for the read-secret scope.
 * Who may act on which user is decided before a handler calls in; whether the user exists or is active is
 * asked of {@link CredentialHolders}.
 */
@Service
public class CredentialService {

    static final String ACCOUNT_INDEX_DOMAIN = "credential-account";

    private final CredentialRepository repository;
    private final CredentialHolders holders;
    private final FieldCipher cipher;
    private final BlindIndex blindIndex;
    private final AuditService audit;
    private final Transactions transactions;
    private final Clock clock;
    private final IdSource ids;

    public CredentialService(CredentialRepository repository, CredentialHolders holders, FieldCipher cipher,
            BlindIndex blindIndex, AuditService audit, Transactions transactions, Clock clock, IdSource ids) {
        this.repository = repository;
        this.holders = holders;
        this.cipher = cipher;
        this.blindIndex = blindIndex;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.ids = ids;
    }

    /** Stores credentials of a user inside the caller's transaction (used by user creation). */
    public Flux<CredentialView> storeWithin(Caller caller, String userId, List<CredentialInput> inputs) {
        return Flux.fromIterable(inputs).concatMap(input -> storeOne(caller, userId, input));
    }

    /** Stores one credential of a user, in a transaction that requires the user to be active. */
    public Mono<CredentialView> store(Caller caller, String userId, CredentialInput input) {
        return holders.forActiveUser(caller, userId, () -> storeOne(caller, userId, input));
    }

    public Flux<CredentialView> list(Caller caller, String userId) {
        return repository.forUser(caller.tenantId(), userId).map(CredentialView::of);
    }

    /** A user's credentials; 404 for a user the caller's tenant does not have. */
    public Flux<CredentialView> listForUser(Caller caller, String userId) {
        return holders.requireExisting(caller, userId).thenMany(list(caller, userId));
    }

    /** Credentials whose account address matches, found through the blind index without decrypting. */
    public Flux<CredentialView> findByAccount(Caller caller, String accountEmail) {
        return repository.byAccount(caller.tenantId(), accountIndex(caller.tenantId(), accountEmail))
                .map(CredentialView::of);
    }

    public Mono<CredentialView> rotate(Caller caller, String userId, String credentialId, RotateTokens tokens) {
        return transactions.run(caller.tenantId(), () -> {
            Instant now = clock.instant();
            Sealed access = cipher.seal(tokens.accessToken(), context(caller.tenantId(), credentialId, CredentialFields.ACCESS_TOKEN));
            Sealed refresh = tokens.refreshToken() == null ? null
                    : cipher.seal(tokens.refreshToken(), context(caller.tenantId(), credentialId, CredentialFields.REFRESH_TOKEN));
            return repository.replaceTokens(caller.tenantId(), userId, credentialId, access, refresh, tokens.scopes(),
                            tokens.expiresAt(), now)
                    .switchIfEmpty(Mono.error(() -> notFound(credentialId)))
                    .flatMap(rotated -> audit.record(AuditEvent.of(caller, AuditEventType.CREDENTIAL_ROTATED,
                                    CredentialFields.COLLECTION, credentialId).withDetail("keyId", access.keyId()))
                            .thenReturn(CredentialView.of(rotated)));
        });
    }

    public Mono<CredentialView> revoke(Caller caller, String userId, String credentialId) {
        return transactions.run(caller.tenantId(), () -> repository.revoke(caller.tenantId(), userId, credentialId, clock.instant())
                .switchIfEmpty(Mono.error(() -> notFound(credentialId)))
                .flatMap(revoked -> audit.record(AuditEvent.of(caller, AuditEventType.CREDENTIAL_REVOKED,
                                CredentialFields.COLLECTION, credentialId))
                        .thenReturn(CredentialView.of(revoked))));
    }

    /** Revokes every active credential of a user inside the caller's transaction (used by deactivation). */
    public Mono<Long> revokeAllWithin(Caller caller, String userId) {
        return repository.revokeAllOfUser(caller.tenantId(), userId, clock.instant());
    }

    /**
     * Deletes every credential of a user, revoked ones included, inside the caller's transaction (GDPR erasure:
     * a revoked credential still holds sealed tokens and the account's blind index). Names the tenant itself, as
     * an operator erases in another tenant than its own. Re-runnable: a second call deletes nothing.
     */
    public Mono<Long> deleteAllOfUserWithin(String tenantId, String userId) {
        return repository.deleteAllOfUser(tenantId, userId);
    }

    /**
     * The plaintext tokens, for the callers the route admits (the read-secret scope). The read is audited before
     * anything is decrypted: no audit entry, no secret.
     */
    public Mono<CredentialSecret> readSecret(Caller caller, String userId, String credentialId) {
        return transactions.run(caller.tenantId(), () -> repository.find(caller.tenantId(), userId, credentialId)
                .filter(credential -> credential.status() == CredentialStatus.ACTIVE)
                .switchIfEmpty(Mono.error(() -> notFound(credentialId)))
                .flatMap(credential -> audit.record(AuditEvent.of(caller, AuditEventType.CREDENTIAL_SECRET_READ,
                        CredentialFields.COLLECTION, credentialId)).thenReturn(credential)))
                .map(this::open);
    }

    private Mono<CredentialView> storeOne(Caller caller, String userId, CredentialInput input) {
        String id = ids.newId();
        String tenant = caller.tenantId();
        Credential credential = new Credential(id, tenant, userId, input.provider(),
                input.accountEmail() == null ? null : accountIndex(tenant, input.accountEmail()),
                cipher.seal(input.accessToken(), context(tenant, id, CredentialFields.ACCESS_TOKEN)),
                input.refreshToken() == null ? null
                        : cipher.seal(input.refreshToken(), context(tenant, id, CredentialFields.REFRESH_TOKEN)),
                input.scopes() == null ? List.of() : input.scopes(), CredentialStatus.ACTIVE, input.expiresAt(),
                clock.instant(), null, null);
        return repository.insert(credential)
                .onErrorMap(DuplicateKeyException.class, duplicate -> new ApiException.Conflict("User " + userId
                        + " already has an active " + input.provider() + " credential; rotate or revoke it instead."))
                .flatMap(saved -> audit.record(AuditEvent.of(caller, AuditEventType.CREDENTIAL_STORED,
                                CredentialFields.COLLECTION, id).withDetail("provider", input.provider().name()))
                        .thenReturn(CredentialView.of(saved)));
    }

    private CredentialSecret open(Credential credential) {
        String access = cipher.open(credential.accessToken(),
                context(credential.tenantId(), credential.id(), CredentialFields.ACCESS_TOKEN));
        String refresh = credential.refreshToken() == null ? null : cipher.open(credential.refreshToken(),
                context(credential.tenantId(), credential.id(), CredentialFields.REFRESH_TOKEN));
        return new CredentialSecret(credential.id(), credential.provider(), access, refresh, credential.expiresAt());
    }

    /** Per tenant, so the same address in two tenants gives unrelated index values. */
    String accountIndex(String tenantId, String accountEmail) {
        return blindIndex.of(ACCOUNT_INDEX_DOMAIN + ":" + tenantId, accountEmail.trim().toLowerCase(Locale.ROOT));
    }

    static FieldContext context(String tenantId, String credentialId, String field) {
        return new FieldContext(tenantId, CredentialFields.COLLECTION, credentialId, field);
    }

    private static ApiException notFound(String credentialId) {
        return new ApiException.NotFound("No active credential " + credentialId + " for this user.");
    }
}
