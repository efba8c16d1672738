package com.phishnet.store.reputation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.phishnet.store.platform.redis.ResilientRedis;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.reputation.ReputationRequests.PutVerdict;
import com.phishnet.store.reputation.ReputationRequests.ReputationView;

import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Reputation verdicts: global ones from the threat feeds and per-tenant overrides. A tenant reads its own
 * override first and the global verdict otherwise; no tenant's write changes what another tenant sees.
 * <p>
 * Each owner's entry is cached aside under its own key ({@link ReputationOwner#cacheKey}): Redis first, then
 * MongoDB, then Redis is filled with the remaining life of the entry (so Redis never outlives the MongoDB TTL).
 * A key MongoDB does not know is remembered as unknown for a short while, so a flood of lookups for it cannot
 * reach the database either. Concurrent misses of one key within this instance share a single database read.
 * Writes go to MongoDB, then invalidate the writer's key only: an override evicts that tenant's view, a global
 * write the global entry.
 */
@Service
public class ReputationService {

    static final String CACHE = "reputation";
    static final Duration MAX_CACHE_TTL = Duration.ofHours(1);
    static final Duration UNKNOWN_TTL = Duration.ofSeconds(30);
    static final String UNKNOWN_MARKER = "-";

    private final ReputationStore store;
    private final ResilientRedis redis;
    private final Clock clock;
    private final ConcurrentHashMap<String, Mono<Optional<ReputationEntry>>> inFlight = new ConcurrentHashMap<>();

    public ReputationService(ReputationStore store, ResilientRedis redis, Clock clock) {
        this.store = store;
        this.redis = redis;
        this.clock = clock;
    }

    /** The tenant's override if it has one, else the global verdict; 404 when neither exists. */
    public Mono<ReputationView> get(String tenantId, SubjectType type, String rawSubject) {
        ReputationOwner tenant = ReputationOwner.tenant(tenantId);
        return Mono.fromCallable(() -> type.normalize(rawSubject))
                .flatMap(subject -> lookup(tenant, type, subject)
                        .flatMap(override -> override.isPresent() ? Mono.just(override)
                                : lookup(ReputationOwner.GLOBAL, type, subject)))
                .flatMap(entry -> entry.map(ReputationView::of).map(Mono::just).orElseGet(() -> Mono.error(
                        new ApiException.NotFound("No reputation verdict for this " + type.name().toLowerCase() + "."))));
    }

    /** The tenant's own verdict, seen by that tenant only. */
    public Mono<ReputationView> putOverride(String tenantId, PutVerdict request) {
        return put(ReputationOwner.tenant(tenantId), request);
    }

    /** A threat-feed verdict every tenant sees unless it has an override. */
    public Mono<ReputationView> putGlobal(PutVerdict request) {
        return put(ReputationOwner.GLOBAL, request);
    }

    private Mono<ReputationView> put(ReputationOwner owner, PutVerdict request) {
        return Mono.fromCallable(() -> request.type().normalize(request.subject()))
                .flatMap(subject -> {
                    Instant now = clock.instant();
                    return store.save(ReputationEntry.of(owner, request.type(), subject, request.verdict(),
                                    request.score(), request.source(), now, now.plusSeconds(request.ttlSeconds())))
                            .flatMap(saved -> redis.delete(CACHE, owner.cacheKey(request.type(), subject))
                                    .thenReturn(saved));
                })
                .map(ReputationView::of);
    }

    private Mono<Optional<ReputationEntry>> lookup(ReputationOwner owner, SubjectType type, String subject) {
        return redis.get(CACHE, owner.cacheKey(type, subject))
                .flatMap(cached -> cached.map(value -> Mono.just(fromCache(owner, type, subject, value)))
                        .orElseGet(() -> loadOnce(owner, type, subject)));
    }

    /** Single flight: the first miss of a key reads MongoDB; the others wait for that read. */
    private Mono<Optional<ReputationEntry>> loadOnce(ReputationOwner owner, SubjectType type, String subject) {
        String key = owner.cacheKey(type, subject);
        // Removed as the read ends, before its result travels on: a later miss reads again.
        return inFlight.computeIfAbsent(key, ignored -> load(owner, type, subject, key)
                .doOnTerminate(() -> inFlight.remove(key))
                .cache());
    }

    private Mono<Optional<ReputationEntry>> load(ReputationOwner owner, SubjectType type, String subject, String key) {
        Instant now = clock.instant();
        return store.findValid(owner, type, subject, now)
                .flatMap(entry -> redis.set(CACHE, key, entry.toCacheValue(), ttlFor(entry, now))
                        .thenReturn(Optional.of(entry)))
                .switchIfEmpty(Mono.defer(() -> redis.set(CACHE, key, UNKNOWN_MARKER, UNKNOWN_TTL)
                        .thenReturn(Optional.<ReputationEntry>empty())));
    }

    /** Redis keeps an entry at most as long as MongoDB considers it valid, and never longer than an hour. */
    static Duration ttlFor(ReputationEntry entry, Instant now) {
        Duration remaining = Duration.between(now, entry.expiresAt());
        return remaining.compareTo(MAX_CACHE_TTL) > 0 ? MAX_CACHE_TTL : remaining;
    }

    private Optional<ReputationEntry> fromCache(ReputationOwner owner, SubjectType type, String subject, String value) {
        if (UNKNOWN_MARKER.equals(value)) {
            return Optional.empty();
        }
        ReputationEntry entry = ReputationEntry.fromCacheValue(owner, type, subject, value);
        return entry.expiresAt().isAfter(clock.instant()) ? Optional.of(entry) : Optional.empty();
    }
}
