package com.phishnet.store.users;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import com.phishnet.store.audit.AuditEvent;
import com.phishnet.store.audit.AuditEventType;
import com.phishnet.store.audit.AuditService;
import com.phishnet.store.credentials.CredentialService;
import com.phishnet.store.platform.crypto.BlindIndex;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.time.IdSource;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.platform.web.PageRequest;
import com.phishnet.store.platform.web.PageResponse;
import com.phishnet.store.tokens.RefreshTokenService;
import com.phishnet.store.users.UserRequests.CreateUser;
import com.phishnet.store.users.UserRequests.CreatedUser;
import com.phishnet.store.users.UserRequests.UpdateUser;
import com.phishnet.store.users.UserRequests.UserView;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Accounts of a tenant. Creating a user writes the user, their sealed credentials and the audit entries in
 * one transaction; deactivating one revokes their credentials and refresh tokens in the same transaction.
 * Every lookup is scoped by the caller's tenant, so another tenant's ids are simply not found.
 */
@Service
public class UserService {

    static final String REQUEST_FINGERPRINT_DOMAIN = "users.create-request";

    private final UserRepository repository;
    private final UserGuard guard;
    private final CredentialService credentials;
    private final RefreshTokenService refreshTokens;
    private final AuditService audit;
    private final Transactions transactions;
    private final Clock clock;
    private final IdSource ids;
    private final BlindIndex fingerprints;

    UserService(UserRepository repository, UserGuard guard, CredentialService credentials,
            RefreshTokenService refreshTokens, AuditService audit, Transactions transactions, Clock clock, IdSource ids,
            BlindIndex fingerprints) {
        this.fingerprints = fingerprints;
        this.repository = repository;
        this.guard = guard;
        this.credentials = credentials;
        this.refreshTokens = refreshTokens;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.ids = ids;
    }

    /** The outcome of a create: the user, and whether it replays an earlier request with the same Idempotency-Key. */
    public record Creation(CreatedUser created, boolean replayed) {
    }

    /**
     * Creates the user with their credentials and audit entries in one transaction. The user id is fixed before
     * the transaction, so when a commit's outcome is unknown the re-run finds its own user (no second audit
     * entry, no 409 for the user it created) or, if the commit did not apply, writes it. With an Idempotency-Key
     * the key is stored on the user: a retried request finds it and gets the committed user back.
     */
    public Mono<Creation> create(Caller caller, CreateUser request, String idempotencyKey) {
        return Mono.defer(() -> {
            String userId = ids.newId();
            String requestHash = idempotencyKey == null ? null : requestHash(request);
            return transactions.runIdempotent(caller.tenantId(), () -> earlier(caller, userId, idempotencyKey)
                            .flatMap(found -> answer(caller, found, userId, requestHash))
                            .switchIfEmpty(Mono.defer(() -> write(caller, request, userId, idempotencyKey, requestHash))))
                    // A duplicate aborts the transaction; whether it is our own user, an earlier request with the
                    // same key, or another user with this email is read after it (majority, primary).
                    .onErrorResume(DuplicateKeyException.class, duplicate -> earlier(caller, userId, idempotencyKey)
                            .switchIfEmpty(Mono.error(() -> new ApiException.Conflict(
                                    "A user with email " + request.email().trim() + " already exists in this tenant.")))
                            .flatMap(found -> answer(caller, found, userId, requestHash)));
        });
    }

    private Mono<User> earlier(Caller caller, String userId, String idempotencyKey) {
        return idempotencyKey != null ? repository.findByIdempotencyKey(caller.tenantId(), idempotencyKey)
                : repository.find(caller.tenantId(), userId);
    }

    /** Our own user (an unknown commit that did apply) is the plain result; another request's is a replay. */
    private Mono<Creation> answer(Caller caller, User found, String userId, String requestHash) {
        boolean own = found.id().equals(userId);
        if (!own && !Objects.equals(requestHash, found.requestHash())) {
            return Mono.error(new ApiException.Conflict("The Idempotency-Key was already used for a different request."));
        }
        return credentials.list(caller, found.id()).collectList()
                .map(stored -> new Creation(new CreatedUser(UserView.of(found), stored), !own));
    }

    private Mono<Creation> write(Caller caller, CreateUser request, String userId, String idempotencyKey,
            String requestHash) {
        Instant now = clock.instant();
        User user = new User(userId, caller.tenantId(), request.email().trim(), User.normalizeEmail(request.email()),
                request.displayName(), request.role(), UserStatus.ACTIVE, User.UserStats.empty(), now, now,
                idempotencyKey, requestHash);
        return repository.insert(user)
                .flatMap(saved -> audit.record(AuditEvent.of(caller, AuditEventType.USER_CREATED,
                                UserFields.COLLECTION, saved.id()).withDetail("role", saved.role().name()))
                        .thenMany(credentials.storeWithin(caller, saved.id(), request.credentialsOrEmpty()))
                        .collectList()
                        .map(stored -> new Creation(new CreatedUser(UserView.of(saved), stored), false)));
    }

    /**
     * A keyed fingerprint of everything the request asks for, credentials' secrets included (a retry with another
     * token is another request); keyed, so the stored value reveals nothing about the tokens.
     */
    String requestHash(CreateUser request) {
        StringBuilder canonical = new StringBuilder();
        field(canonical, request.email());
        field(canonical, request.displayName());
        field(canonical, request.role().name());
        for (var credential : request.credentialsOrEmpty()) {
            field(canonical, credential.provider().name());
            field(canonical, credential.accountEmail());
            field(canonical, credential.accessToken());
            field(canonical, credential.refreshToken());
            List<String> scopes = credential.scopes() == null ? List.of() : credential.scopes();
            field(canonical, Integer.toString(scopes.size()));
            scopes.forEach(scope -> field(canonical, scope));
            field(canonical, credential.expiresAt() == null ? null : credential.expiresAt().toString());
        }
        return fingerprints.of(REQUEST_FINGERPRINT_DOMAIN, canonical.toString());
    }

    /** Length-prefixed, so no two different requests run together into the same text; null differs from "". */
    private static void field(StringBuilder canonical, String value) {
        canonical.append(value == null ? "-" : value.length() + ":" + value).append('|');
    }

    /** Whether the tenant has this user, whoever asks (an operator placing a hold in another tenant). */
    public Mono<Boolean> exists(String tenantId, String id) {
        return repository.find(tenantId, id).hasElement();
    }

    public Mono<UserView> get(Caller caller, String id) {
        return guard.existing(caller, id).map(UserView::of);
    }

    public Mono<PageResponse<UserView>> list(Caller caller, Role role, UserStatus status, PageRequest page, URI uri) {
        return Mono.zip(repository.page(caller.tenantId(), role, status, page).map(UserView::of).collectList(),
                        repository.count(caller.tenantId(), role, status))
                .map(items -> PageResponse.of(items.getT1(), page, items.getT2(), uri));
    }

    public Mono<UserView> update(Caller caller, String id, UpdateUser request) {
        return transactions.run(caller.tenantId(), () ->
                repository.update(caller.tenantId(), id,
                                UserRepository.changes(request.role(), request.status(), request.displayName(), clock.instant()))
                        .switchIfEmpty(Mono.defer(() -> missingOrErased(caller.tenantId(), id)))
                        .flatMap(updated -> revokeAccessIfDeactivated(caller, updated)
                                .then(audit.record(updateEvent(caller, id, request)))
                                .thenReturn(UserView.of(updated))));
    }

    /** Deactivates the user and revokes every credential and refresh token they hold, atomically. */
    public Mono<Void> deactivate(Caller caller, String id) {
        return update(caller, id, new UpdateUser(null, UserStatus.DEACTIVATED, null)).then();
    }

    /** Counts a scan for its user inside the caller's transaction; 404 (aborting it) for an unknown user. */
    public Mono<Void> countScanWithin(Caller caller, String userId, VerdictCounter counter, Instant scannedAt) {
        // An ERASED user's scans would bring their address back (recipients, subject): refused, aborting the
        // ingestion. The write to the user also makes an ingestion and a concurrent erasure conflict.
        return repository.countScan(caller.tenantId(), userId, counter, scannedAt)
                .flatMap(found -> found ? Mono.<Void>empty() : missingOrErased(caller.tenantId(), userId).then());
    }

    /**
     * Erases the user's own record inside the caller's transaction (GDPR erasure): email and emailNormalized
     * become {@link ErasedAddress#of}, the display name goes, the status becomes ERASED with {@code erasedAt}.
     * Empty for a user the tenant does not have. For a user erased before, nothing is written and the result
     * says so ({@code address} null: the address is no longer known).
     */
    public Mono<UserErasure> eraseWithin(String tenantId, String id, Instant now) {
        String pseudonym = ErasedAddress.of(id);
        return repository.erase(tenantId, id, pseudonym, now)
                .map(before -> new UserErasure(id, before.emailNormalized(), pseudonym, now, true))
                .switchIfEmpty(Mono.defer(() -> repository.find(tenantId, id)
                        .filter(user -> user.status() == UserStatus.ERASED)
                        .map(user -> new UserErasure(id, null, pseudonym, user.erasedAt(), false))));
    }

    /** What {@link #eraseWithin} did: the address it replaced (null when erased before) and its pseudonym. */
    public record UserErasure(String userId, String address, String pseudonym, Instant erasedAt, boolean erasedNow) {

        @Override
        public String toString() {
            // The address is personal data: never in a log line.
            return "UserErasure[userId=" + userId + ", erasedNow=" + erasedNow + "]";
        }
    }

    /** After a filtered write matched nothing: 404 for an unknown user, 409 for an ERASED one. */
    private <T> Mono<T> missingOrErased(String tenantId, String id) {
        return repository.find(tenantId, id)
                .switchIfEmpty(Mono.error(() -> new ApiException.NotFound("No user " + id + ".")))
                .flatMap(user -> Mono.error(new ApiException.Conflict("User " + id + " is " + user.status() + ".")));
    }

    /** Moves a scan between verdict counters inside the caller's transaction (analyst feedback). */
    public Mono<Void> moveScanWithin(Caller caller, String userId, VerdictCounter from, VerdictCounter to) {
        return repository.moveScan(caller.tenantId(), userId, from, to).then();
    }

    private Mono<Void> revokeAccessIfDeactivated(Caller caller, User user) {
        if (user.status() != UserStatus.DEACTIVATED) {
            return Mono.empty();
        }
        // One after the other: operations of one transaction must not overlap on its session.
        return credentials.revokeAllWithin(caller, user.id())
                .zipWhen(ignored -> refreshTokens.revokeAllWithin(caller, user.id()))
                .flatMap(revoked -> audit.record(AuditEvent.of(caller, AuditEventType.USER_DEACTIVATED,
                                UserFields.COLLECTION, user.id())
                        .withDetail("credentialsRevoked", Long.toString(revoked.getT1()))
                        .withDetail("refreshTokensRevoked", Long.toString(revoked.getT2()))))
                .then();
    }

    private static AuditEvent updateEvent(Caller caller, String id, UpdateUser request) {
        AuditEvent event = AuditEvent.of(caller, AuditEventType.USER_UPDATED, UserFields.COLLECTION, id);
        if (request.role() != null) {
            event = event.withDetail("role", request.role().name());
        }
        if (request.status() != null) {
            event = event.withDetail("status", request.status().name());
        }
        if (request.displayName() != null) {
            event = event.withDetail("displayName", "changed");
        }
        return event;
    }
}
