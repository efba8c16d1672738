package com.phishnet.store.reputation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.reputation.ReputationRequests.PutVerdict;
import com.phishnet.store.reputation.ReputationRequests.ReputationView;
import com.phishnet.store.support.MutableClock;
import com.phishnet.store.support.RedisFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Cache-aside against a real redis-server. The database side is a counting double at the repository boundary
 * (ReputationStore), so every test can say how many reads reached "MongoDB"; the MongoDB repository itself is
 * exercised by the integration tier.
 */
class ReputationServiceTest {

    private final RedisFixture fixture = new RedisFixture();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final CountingStore store = new CountingStore();
    private final ReputationService service = new ReputationService(store, fixture.redis(), clock);

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aMissReadsTheDatabaseOnceAndTheNextReadIsAHit() {
        put("evil@phish.example", ReputationVerdict.MALICIOUS, 3600);

        assertThat(get("Evil@Phish.example").verdict()).isEqualTo(ReputationVerdict.MALICIOUS);
        assertThat(get("evil@phish.example").verdict()).isEqualTo(ReputationVerdict.MALICIOUS);

        assertThat(store.reads.get()).isEqualTo(1);
        assertThat(fixture.counted("reputation", "hit")).isEqualTo(1);
        assertThat(fixture.counted("reputation", "miss")).isEqualTo(1);
    }

    @Test
    void aWriteInvalidatesTheCachedVerdict() {
        put("a@b.example", ReputationVerdict.CLEAN, 3600);
        get("a@b.example");

        put("a@b.example", ReputationVerdict.MALICIOUS, 3600);

        assertThat(get("a@b.example").verdict()).isEqualTo(ReputationVerdict.MALICIOUS);
        assertThat(store.reads.get()).isEqualTo(2);
    }

    @Test
    void redisKeepsAnEntryNoLongerThanItIsValid() {
        put("short@b.example", ReputationVerdict.SUSPICIOUS, 600);
        get("short@b.example");

        Duration ttl = fixture.redis().ttl(ReputationService.key(SubjectType.SENDER, "short@b.example")).block().orElseThrow();
        assertThat(ttl).isBetween(Duration.ofSeconds(595), Duration.ofSeconds(600));
    }

    @Test
    void redisKeepsLongLivedEntriesAnHourAtMost() {
        put("long@b.example", ReputationVerdict.CLEAN, 7 * 24 * 3600);
        get("long@b.example");

        Duration ttl = fixture.redis().ttl(ReputationService.key(SubjectType.SENDER, "long@b.example")).block().orElseThrow();
        assertThat(ttl).isBetween(Duration.ofMinutes(59), Duration.ofHours(1));
    }

    @Test
    void anExpiredEntryIsNotServedFromTheCache() {
        put("gone@b.example", ReputationVerdict.MALICIOUS, 120);
        get("gone@b.example");

        clock.advance(Duration.ofSeconds(121));

        StepVerifier.create(service.get(SubjectType.SENDER, "gone@b.example"))
                .expectError(ApiException.NotFound.class).verify();
    }

    @Test
    void anUnknownSubjectIsRememberedBrieflySoRepeatsSpareTheDatabase() {
        for (int i = 0; i < 3; i++) {
            StepVerifier.create(service.get(SubjectType.DOMAIN, "never-seen.example"))
                    .expectError(ApiException.NotFound.class).verify();
        }

        assertThat(store.reads.get()).isEqualTo(1);
    }

    @Test
    void hundredConcurrentReadsOfAColdKeyCauseOneDatabaseRead() {
        store.entries.put(ReputationEntry.idOf(SubjectType.DOMAIN, "hot.example"), entry(SubjectType.DOMAIN,
                "hot.example", ReputationVerdict.MALICIOUS, 3600));
        store.delay = Duration.ofMillis(200);

        List<ReputationView> views = Flux.range(0, 100)
                .flatMap(i -> service.get(SubjectType.DOMAIN, "hot.example"), 100)
                .collectList().block(Duration.ofSeconds(10));

        assertThat(views).hasSize(100).allMatch(view -> view.verdict() == ReputationVerdict.MALICIOUS);
        assertThat(store.reads.get()).isEqualTo(1);
    }

    @Test
    void everyReadIsAnsweredCorrectlyWhileRedisIsDeadAndTheCacheReturnsWithIt() {
        put("x@y.example", ReputationVerdict.SUSPICIOUS, 3600);
        get("x@y.example");
        int readsBefore = store.reads.get();

        fixture.kill();
        for (int i = 0; i < 10; i++) {
            assertThat(get("x@y.example").verdict()).isEqualTo(ReputationVerdict.SUSPICIOUS);
        }
        assertThat(store.reads.get()).isEqualTo(readsBefore + 10);

        fixture.restart();
        // Cached again once the breaker has closed: a read then leaves the database alone.
        assertThat(com.phishnet.store.platform.redis.ResilientRedisTestAccess.eventually(() -> Mono.fromCallable(() -> {
            get("x@y.example");
            int reads = store.reads.get();
            get("x@y.example");
            return store.reads.get() == reads;
        }))).isTrue();
    }

    private ReputationView get(String sender) {
        return service.get(SubjectType.SENDER, sender).block();
    }

    private void put(String sender, ReputationVerdict verdict, long ttlSeconds) {
        service.put(new PutVerdict(SubjectType.SENDER, sender, verdict, 0.9, "feed-1", ttlSeconds)).block();
    }

    private ReputationEntry entry(SubjectType type, String subject, ReputationVerdict verdict, long ttlSeconds) {
        return new ReputationEntry(ReputationEntry.idOf(type, subject), type, subject, verdict, 0.9, "feed-1",
                clock.instant(), clock.instant().plusSeconds(ttlSeconds));
    }

    /** The database side: an in-memory double that counts reads, standing in only at this boundary. */
    static final class CountingStore implements ReputationStore {

        final Map<String, ReputationEntry> entries = new ConcurrentHashMap<>();
        final AtomicInteger reads = new AtomicInteger();
        volatile Duration delay = Duration.ZERO;

        @Override
        public Mono<ReputationEntry> findValid(SubjectType type, String subject, Instant now) {
            return Mono.delay(delay).then(Mono.fromCallable(() -> {
                reads.incrementAndGet();
                ReputationEntry entry = entries.get(ReputationEntry.idOf(type, subject));
                return entry != null && entry.expiresAt().isAfter(now) ? entry : null;
            }));
        }

        @Override
        public Mono<ReputationEntry> save(ReputationEntry entry) {
            entries.put(entry.id(), entry);
            return Mono.just(entry);
        }
    }
}
