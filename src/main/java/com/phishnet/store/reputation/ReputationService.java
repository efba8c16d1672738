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
 * Reputation verdicts, cache-aside: Redis first, then MongoDB, then Redis is filled with the remaining life of
 * the entry (so Redis never outlives the MongoDB TTL). A subject MongoDB does not know is remembered as
 * unknown for a short while, so a flood of lookups for it cannot reach the database either. Concurrent misses
 * of one key within this instance share a single database read. Writes go to MongoDB, then invalidate Redis.
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

    public Mono<ReputationView> get(SubjectType type, String rawSubject) {
        return Mono.fromCallable(() -> type.normalize(rawSubject))
                .flatMap(subject -> redis.get(CACHE, key(type, subject))
                        .flatMap(cached -> cached.map(value -> Mono.just(fromCache(type, subject, value)))
                                .orElseGet(() -> loadOnce(type, subject))))
                .flatMap(entry -> entry.map(ReputationView::of).map(Mono::just).orElseGet(() -> Mono.error(
                        new ApiException.NotFound("No reputation verdict for this " + type.name().toLowerCase() + "."))));
    }

    public Mono<ReputationView> put(PutVerdict request) {
        return Mono.fromCallable(() -> request.type().normalize(request.subject()))
                .flatMap(subject -> {
                    Instant now = clock.instant();
                    return store.save(new ReputationEntry(ReputationEntry.idOf(request.type(), subject), request.type(),
                                    subject, request.verdict(), request.score(), request.source(), now,
                                    now.plusSeconds(request.ttlSeconds())))
                            .flatMap(saved -> redis.delete(CACHE, key(request.type(), subject)).thenReturn(saved));
                })
                .map(ReputationView::of);
    }

    /** Single flight: the first miss of a key reads MongoDB; the others wait for that read. */
    private Mono<Optional<ReputationEntry>> loadOnce(SubjectType type, String subject) {
        String key = key(type, subject);
        // Removed as the read ends, before its result travels on: a later miss reads again.
        return inFlight.computeIfAbsent(key, ignored -> load(type, subject)
                .doOnTerminate(() -> inFlight.remove(key))
                .cache());
    }

    private Mono<Optional<ReputationEntry>> load(SubjectType type, String subject) {
        String key = key(type, subject);
        Instant now = clock.instant();
        return store.findValid(type, subject, now)
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

    private Optional<ReputationEntry> fromCache(SubjectType type, String subject, String value) {
        if (UNKNOWN_MARKER.equals(value)) {
            return Optional.empty();
        }
        ReputationEntry entry = ReputationEntry.fromCacheValue(type, subject, value);
        return entry.expiresAt().isAfter(clock.instant()) ? Optional.of(entry) : Optional.empty();
    }

    static String key(SubjectType type, String subject) {
        return "rep:" + type.name() + ":" + subject;
    }
}
