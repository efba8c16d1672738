package com.phishnet.store.apikeys;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

import com.phishnet.store.apikeys.ApiKeyRequests.ApiKeyProperties;
import com.phishnet.store.apikeys.ApiKeyRequests.CreateKey;
import com.phishnet.store.apikeys.ApiKeyRequests.IssuedKey;
import com.phishnet.store.apikeys.ApiKeyRequests.KeyPage;
import com.phishnet.store.apikeys.ApiKeyRequests.KeyView;
import com.phishnet.store.apikeys.ApiKeyRequests.RotateKey;
import com.phishnet.store.audit.AuditEvent;
import com.phishnet.store.audit.AuditEventType;
import com.phishnet.store.audit.AuditService;
import com.phishnet.store.platform.crypto.KeyedHash;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.time.IdSource;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.platform.web.CursorCodec;
import com.phishnet.store.platform.web.CursorCodec.Position;
import com.phishnet.store.platform.web.PageRequest;
import com.phishnet.store.platform.web.PageResponse;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * API keys of a tenant, managed by its ADMINs: create (the key is shown once), list, read, rotate, revoke. Every
 * change is written with its audit entry in one transaction of the caller's tenant; the tenant is always the
 * caller's. Rules: {@link ApiKeyRules}; authentication with a key: {@link ApiKeyAuthenticator}.
 */
@Service
public class ApiKeyService {

    static final String CURSOR_SCOPE = "api-keys";

    private final ApiKeyRepository repository;
    private final AuditService audit;
    private final Transactions transactions;
    private final KeyedHash hashes;
    private final CursorCodec cursors;
    private final ApiKeyProperties properties;
    private final SecureRandom random;
    private final Clock clock;
    private final IdSource ids;

    public ApiKeyService(ApiKeyRepository repository, AuditService audit, Transactions transactions,
            KeyedHash apiKeyHashes, CursorCodec cursors, ApiKeyProperties properties, SecureRandom random, Clock clock,
            IdSource ids) {
        this.repository = repository;
        this.audit = audit;
        this.transactions = transactions;
        this.hashes = apiKeyHashes;
        this.cursors = cursors;
        this.properties = properties;
        this.random = random;
        this.clock = clock;
        this.ids = ids;
    }

    public Mono<IssuedKey> create(Caller caller, CreateKey request) {
        return asAdmin(caller, () -> {
            Instant now = clock.instant();
            List<String> scopes = checkedScopes(caller, request.scopes());
            checkExpiry(request.expiresAt(), now);
            ApiKeyFormat.Generated generated = ApiKeyFormat.generate(random);
            ApiKey key = newKey(caller, request.name().strip(), scopes, request.expiresAt(), generated, now, null);
            return transactions.run(caller.tenantId(), () -> repository.insert(key)
                    .flatMap(saved -> audit.record(AuditEvent.of(caller, AuditEventType.API_KEY_CREATED,
                                    ApiKeyFields.COLLECTION, saved.id())
                            .withDetail("prefix", saved.prefix())
                            .withDetail("scopes", String.join(" ", saved.scopes()))
                            .withDetail("expiresAt", String.valueOf(saved.expiresAt())))
                            .thenReturn(issued(saved, generated))));
        });
    }

    public Mono<PageResponse<KeyView>> list(Caller caller, PageRequest page, URI uri) {
        return asAdmin(caller, () -> {
            Instant now = clock.instant();
            return Mono.zip(repository.page(caller.tenantId(), null, page.offset(), page.size())
                                    .map(key -> KeyView.of(key, now)).collectList(),
                            repository.count(caller.tenantId()))
                    .map(result -> PageResponse.of(result.getT1(), page, result.getT2(), uri));
        });
    }

    /** Keyset paging newest first by (createdAt, _id); "" starts at the newest. */
    public Mono<KeyPage> listAfter(Caller caller, String cursor, int size) {
        return asAdmin(caller, () -> {
            Position after = cursor.isEmpty() ? null : cursors.decode(CURSOR_SCOPE, cursor, "");
            Instant now = clock.instant();
            return repository.page(caller.tenantId(), after, 0, size).collectList()
                    .map(keys -> new KeyPage(keys.stream().map(key -> KeyView.of(key, now)).toList(),
                            keys.size() < size ? null : cursors.encode(CURSOR_SCOPE, new Position(
                                    keys.get(keys.size() - 1).createdAt(), keys.get(keys.size() - 1).id()), "")));
        });
    }

    public Mono<KeyView> get(Caller caller, String id) {
        return asAdmin(caller, () -> repository.find(caller.tenantId(), id)
                .switchIfEmpty(Mono.error(() -> notFound(id)))
                .map(key -> KeyView.of(key, clock.instant())));
    }

    /**
     * A new key (new prefix and secret, same name, scopes and tenant) replacing an active one, which keeps working
     * for the grace period (0: stops at once) and is linked to it both ways; 409 for a revoked, expired or already
     * rotated key. The rotating caller must be able to grant the key's scopes itself. The new key expires when the
     * request says (bounded like a new key's) or, when it says nothing, when the old key would have.
     */
    public Mono<IssuedKey> rotate(Caller caller, String id, RotateKey request) {
        return asAdmin(caller, () -> {
            Duration grace = Duration.ofSeconds(request.graceSeconds() == null ? 0 : request.graceSeconds());
            if (grace.compareTo(properties.maxRotationGrace()) > 0) {
                throw new ApiException.InvalidField("graceSeconds", "must be at most "
                        + properties.maxRotationGrace().toSeconds());
            }
            checkExpiry(request.expiresAt(), clock.instant());
            ApiKeyFormat.Generated generated = ApiKeyFormat.generate(random);
            String successorId = ids.newId();
            return transactions.run(caller.tenantId(), () -> repository.find(caller.tenantId(), id)
                    .switchIfEmpty(Mono.error(() -> notFound(id)))
                    .flatMap(old -> rotateWithin(caller, old, successorId, generated, grace, request.expiresAt())));
        });
    }

    private Mono<IssuedKey> rotateWithin(Caller caller, ApiKey old, String successorId, ApiKeyFormat.Generated generated,
            Duration grace, Instant expiresAt) {
        Instant now = clock.instant();
        String refusal = ApiKeyRules.rotationRefusal(old, now);
        if (refusal != null) {
            return Mono.error(new ApiException.Conflict(refusal));
        }
        List<String> scopes = checkedScopes(caller, old.scopes().stream().map(ApiKeyScope::ofStored).toList());
        Instant retiresAt = ApiKeyRules.retiredAt(old, now, grace);
        ApiKey successor = newKey(caller, old.name(), scopes, ApiKeyRules.successorExpiry(old, expiresAt), generated,
                now, old.id(), successorId);
        return repository.retire(caller.tenantId(), old.id(), successorId, retiresAt)
                .flatMap(retired -> retired == 1 ? repository.insert(successor)
                        : Mono.error(new ApiException.Conflict("The API key " + old.id() + " was revoked or rotated"
                                + " meanwhile.")))
                .flatMap(saved -> audit.record(AuditEvent.of(caller, AuditEventType.API_KEY_ROTATED,
                                ApiKeyFields.COLLECTION, old.id())
                        .withDetail("successor", saved.id())
                        .withDetail("prefix", saved.prefix())
                        .withDetail("oldKeyExpiresAt", retiresAt.toString()))
                        .thenReturn(issued(saved, generated)));
    }

    /** Revokes the key at once (the next request with it is a 401); revoking a revoked key changes nothing. */
    public Mono<Void> revoke(Caller caller, String id) {
        return asAdmin(caller, () -> transactions.run(caller.tenantId(), () -> repository.find(caller.tenantId(), id)
                .switchIfEmpty(Mono.error(() -> notFound(id)))
                .flatMap(key -> key.revokedAt() != null ? Mono.just(0L)
                        : repository.revoke(caller.tenantId(), id, caller.subject(), clock.instant()))
                .flatMap(revoked -> revoked == 0 ? Mono.empty()
                        : audit.record(AuditEvent.of(caller, AuditEventType.API_KEY_REVOKED, ApiKeyFields.COLLECTION, id)))
                .then()));
    }

    /**
     * The route's rule again, at the head of the service: key management is for the tenant's ADMIN only, whoever
     * calls this (a key caller has no role and never reaches it).
     */
    private static <T> Mono<T> asAdmin(Caller caller, Supplier<Mono<T>> work) {
        return Mono.defer(() -> Rule.ADMIN.admits(caller) ? work.get()
                : Mono.error(new AccessDeniedException("Managing API keys needs the role ADMIN.")));
    }

    private List<String> checkedScopes(Caller caller, Collection<ApiKeyScope> requested) {
        String refusal = ApiKeyRules.grantRefusal(caller, requested);
        if (refusal != null) {
            throw new AccessDeniedException(refusal);
        }
        // Stored in the enum's order, each once.
        return requested.stream().distinct().sorted().map(ApiKeyScope::value).toList();
    }

    private void checkExpiry(Instant expiresAt, Instant now) {
        String problem = ApiKeyRules.expiryProblem(expiresAt, now, properties.maxLifetime());
        if (problem != null) {
            throw new ApiException.InvalidField("expiresAt", problem);
        }
    }

    private ApiKey newKey(Caller caller, String name, List<String> scopes, Instant expiresAt,
            ApiKeyFormat.Generated generated, Instant now, String rotatedFrom) {
        return newKey(caller, name, scopes, expiresAt, generated, now, rotatedFrom, ids.newId());
    }

    private ApiKey newKey(Caller caller, String name, List<String> scopes, Instant expiresAt,
            ApiKeyFormat.Generated generated, Instant now, String rotatedFrom, String id) {
        return new ApiKey(id, caller.tenantId(), name, generated.prefix(), hashes.of(generated.key()), scopes,
                caller.subject(), now, expiresAt, null, null, null, rotatedFrom, null);
    }

    private static IssuedKey issued(ApiKey saved, ApiKeyFormat.Generated generated) {
        return new IssuedKey(saved.id(), generated.key(), saved.name(), saved.prefix(), saved.scopes(),
                saved.createdAt(), saved.expiresAt(), saved.rotatedFrom());
    }

    private static ApiException.NotFound notFound(String id) {
        return new ApiException.NotFound("No API key " + id + ".");
    }
}
