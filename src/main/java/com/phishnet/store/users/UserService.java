package com.phishnet.store.users;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;

import com.phishnet.store.audit.AuditEvent;
import com.phishnet.store.audit.AuditEventType;
import com.phishnet.store.audit.AuditService;
import com.phishnet.store.credentials.CredentialService;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.Role;
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

    private final UserRepository repository;
    private final CredentialService credentials;
    private final RefreshTokenService refreshTokens;
    private final AuditService audit;
    private final Transactions transactions;
    private final Clock clock;
    private final IdSource ids;

    public UserService(UserRepository repository, CredentialService credentials, RefreshTokenService refreshTokens,
            AuditService audit, Transactions transactions, Clock clock, IdSource ids) {
        this.repository = repository;
        this.credentials = credentials;
        this.refreshTokens = refreshTokens;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.ids = ids;
    }

    public Mono<CreatedUser> create(Caller caller, CreateUser request) {
        return allowed(() -> caller.requireAnyRole(Role.ADMIN)).then(transactions.run(caller.tenantId(), () -> {
            Instant now = clock.instant();
            User user = new User(ids.newId(), caller.tenantId(), request.email().trim(), User.normalizeEmail(request.email()),
                    request.displayName(), request.role(), UserStatus.ACTIVE, User.UserStats.empty(), now, now);
            return repository.insert(user)
                    .onErrorMap(DuplicateKeyException.class, duplicate -> new ApiException.Conflict(
                            "A user with email " + request.email().trim() + " already exists in this tenant."))
                    .flatMap(saved -> audit.record(AuditEvent.of(caller, AuditEventType.USER_CREATED,
                                    UserFields.COLLECTION, saved.id()).withDetail("role", saved.role().name()))
                            .thenMany(credentials.storeWithin(caller, saved.id(), request.credentialsOrEmpty()))
                            .collectList()
                            .map(stored -> new CreatedUser(UserView.of(saved), stored)));
        }));
    }

    public Mono<UserView> get(Caller caller, String id) {
        return allowed(() -> caller.requireSelfOrAnyRole(id, Role.ADMIN, Role.ANALYST))
                .then(existing(caller, id))
                .map(UserView::of);
    }

    /** The user, or 404; for features acting on a user's records. */
    public Mono<User> existing(Caller caller, String id) {
        return repository.find(caller.tenantId(), id)
                .switchIfEmpty(Mono.error(() -> new ApiException.NotFound("No user " + id + ".")));
    }

    /**
     * Runs {@code work} in one transaction with a write to the user that requires it to be active (404 if
     * missing, 409 if not active). The write makes a concurrent deactivation conflict with this unit, so nothing
     * is ever granted to a user who was deactivated meanwhile.
     */
    public <T> Mono<T> forActiveUser(Caller caller, String id, java.util.function.Supplier<Mono<T>> work) {
        return transactions.run(caller.tenantId(), () -> repository.touchActive(caller.tenantId(), id)
                .flatMap(touched -> touched ? Mono.<Void>empty() : existing(caller, id)
                        .flatMap(user -> Mono.<Void>error(new ApiException.Conflict("User " + id + " is " + user.status() + "."))))
                .then(Mono.defer(work)));
    }

    public Mono<PageResponse<UserView>> list(Caller caller, Role role, UserStatus status, PageRequest page, URI uri) {
        return allowed(() -> caller.requireAnyRole(Role.ADMIN, Role.ANALYST))
                .then(Mono.zip(repository.page(caller.tenantId(), role, status, page).map(UserView::of).collectList(),
                        repository.count(caller.tenantId(), role, status)))
                .map(items -> PageResponse.of(items.getT1(), page, items.getT2(), uri));
    }

    public Mono<UserView> update(Caller caller, String id, UpdateUser request) {
        return allowed(() -> caller.requireAnyRole(Role.ADMIN)).then(transactions.run(caller.tenantId(), () ->
                repository.update(caller.tenantId(), id,
                                UserRepository.changes(request.role(), request.status(), request.displayName(), clock.instant()))
                        .switchIfEmpty(Mono.error(() -> new ApiException.NotFound("No user " + id + ".")))
                        .flatMap(updated -> revokeAccessIfDeactivated(caller, updated)
                                .then(audit.record(updateEvent(caller, id, request)))
                                .thenReturn(UserView.of(updated)))));
    }

    /** Deactivates the user and revokes every credential and refresh token they hold, atomically. */
    public Mono<Void> deactivate(Caller caller, String id) {
        return update(caller, id, new UpdateUser(null, UserStatus.DEACTIVATED, null)).then();
    }

    /** Counts a scan for its user inside the caller's transaction; 404 (aborting it) for an unknown user. */
    public Mono<Void> countScanWithin(Caller caller, String userId, String verdictCounter, Instant scannedAt) {
        return repository.countScan(caller.tenantId(), userId, verdictCounter, scannedAt)
                .flatMap(found -> found ? Mono.<Void>empty()
                        : Mono.error(new ApiException.NotFound("No user " + userId + ".")));
    }

    /** Moves a scan between verdict counters inside the caller's transaction (analyst feedback). */
    public Mono<Void> moveScanWithin(Caller caller, String userId, String fromCounter, String toCounter) {
        return repository.moveScan(caller.tenantId(), userId, fromCounter, toCounter).then();
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

    /** Authorization checks as part of the reactive chain, so a refusal is an error signal like any other. */
    private static Mono<Void> allowed(Runnable check) {
        return Mono.fromRunnable(check);
    }
}
