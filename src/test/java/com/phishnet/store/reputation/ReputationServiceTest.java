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

    private static final String ACME = "acme";
    private static final String GLOBEX = "globex";

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aColdReadAsksTheDatabaseForTheOverrideAndTheGlobalVerdictOnceAndTheNextReadIsAHit() {
        putGlobal("evil@phish.example", ReputationVerdict.MALICIOUS, 3600);

        assertThat(get(ACME, "Evil@Phish.example").verdict()).isEqualTo(ReputationVerdict.MALICIOUS);
        assertThat(get(ACME, "evil@phish.example").verdict()).isEqualTo(ReputationVerdict.MALICIOUS);

        // The first read looks for acme's override (none, remembered as unknown), then for the global verdict.
        assertThat(store.reads.get()).isEqualTo(2);
        assertThat(fixture.counted("reputation", "hit")).isEqualTo(2);
        assertThat(fixture.counted("reputation", "miss")).isEqualTo(2);
    }

    @Test
    void aGlobalWriteInvalidatesTheCachedGlobalVerdict() {
        putGlobal("a@b.example", ReputationVerdict.CLEAN, 3600);
        get(ACME, "a@b.example");

        putGlobal("a@b.example", ReputationVerdict.MALICIOUS, 3600);

        assertThat(get(ACME, "a@b.example").verdict()).isEqualTo(ReputationVerdict.MALICIOUS);
        assertThat(store.reads.get()).isEqualTo(3);
    }

    @Test
    void aTenantReadsItsOverrideFirst() {
        putGlobal("bank@phish.example", ReputationVerdict.MALICIOUS, 3600);
        putOverride(ACME, "bank@phish.example", ReputationVerdict.CLEAN);

        ReputationView view = get(ACME, "bank@phish.example");

        assertThat(view.verdict()).isEqualTo(ReputationVerdict.CLEAN);
        assertThat(view.scope()).isEqualTo(ReputationScope.TENANT);
    }

    @Test
    void anotherTenantStillSeesTheGlobalVerdict() {
        putGlobal("bank@phish.example", ReputationVerdict.MALICIOUS, 3600);
        putOverride(ACME, "bank@phish.example", ReputationVerdict.CLEAN);

        ReputationView view = get(GLOBEX, "bank@phish.example");

        assertThat(view.verdict()).isEqualTo(ReputationVerdict.MALICIOUS);
        assertThat(view.scope()).isEqualTo(ReputationScope.GLOBAL);
    }

    @Test
    void anOverrideIsServedAtOnceToItsTenantAndEvictsNothingOfOtherTenants() {
        putGlobal("bank@phish.example", ReputationVerdict.MALICIOUS, 3600);
        get(ACME, "bank@phish.example");
        get(GLOBEX, "bank@phish.example");
        int readsBefore = store.reads.get();

        putOverride(ACME, "bank@phish.example", ReputationVerdict.CLEAN);

        // acme's remembered "no override" was evicted: its next read finds the override.
        assertThat(get(ACME, "bank@phish.example").verdict()).isEqualTo(ReputationVerdict.CLEAN);
        assertThat(store.reads.get()).isEqualTo(readsBefore + 1);
        // globex's cached entries stayed: its read reaches no database and still says MALICIOUS.
        assertThat(get(GLOBEX, "bank@phish.example").verdict()).isEqualTo(ReputationVerdict.MALICIOUS);
        assertThat(store.reads.get()).isEqualTo(readsBefore + 1);
    }

    @Test
    void aGlobalWriteDoesNotReplaceATenantsOverride() {
        putOverride(ACME, "bank@phish.example", ReputationVerdict.CLEAN);
        get(ACME, "bank@phish.example");

        putGlobal("bank@phish.example", ReputationVerdict.MALICIOUS, 3600);

        assertThat(get(ACME, "bank@phish.example").verdict()).isEqualTo(ReputationVerdict.CLEAN);
    }

    @Test
    void overridesAndGlobalVerdictsAreCachedUnderSeparateKeys() {
        putGlobal("bank@phish.example", ReputationVerdict.MALICIOUS, 3600);
        putOverride(ACME, "bank@phish.example", ReputationVerdict.CLEAN);
        get(ACME, "bank@phish.example");
        get(GLOBEX, "bank@phish.example");

        assertThat(cached(ReputationOwner.tenant(ACME), "bank@phish.example")).startsWith("CLEAN");
        assertThat(cached(ReputationOwner.tenant(GLOBEX), "bank@phish.example")).isEqualTo(ReputationService.UNKNOWN_MARKER);
        assertThat(cached(ReputationOwner.GLOBAL, "bank@phish.example")).startsWith("MALICIOUS");
    }

    @Test
    void redisKeepsAnEntryNoLongerThanItIsValid() {
        putGlobal("short@b.example", ReputationVerdict.SUSPICIOUS, 600);
        get(ACME, "short@b.example");

        Duration ttl = fixture.redis().ttl(ReputationOwner.GLOBAL.cacheKey(SubjectType.SENDER, "short@b.example")).block()
                .orElseThrow();
        assertThat(ttl).isBetween(Duration.ofSeconds(595), Duration.ofSeconds(600));
    }

    @Test
    void redisKeepsLongLivedEntriesAnHourAtMost() {
        putGlobal("long@b.example", ReputationVerdict.CLEAN, 7 * 24 * 3600);
        get(ACME, "long@b.example");

        Duration ttl = fixture.redis().ttl(ReputationOwner.GLOBAL.cacheKey(SubjectType.SENDER, "long@b.example")).block()
                .orElseThrow();
        assertThat(ttl).isBetween(Duration.ofMinutes(59), Duration.ofHours(1));
    }

    @Test
    void anExpiredEntryIsNotServedFromTheCache() {
        putGlobal("gone@b.example", ReputationVerdict.MALICIOUS, 120);
        get(ACME, "gone@b.example");

        clock.advance(Duration.ofSeconds(121));

        StepVerifier.create(service.get(ACME, SubjectType.SENDER, "gone@b.example"))
                .expectError(ApiException.NotFound.class).verify();
    }

    @Test
    void anUnknownSubjectIsRememberedBrieflySoRepeatsSpareTheDatabase() {
        for (int i = 0; i < 3; i++) {
            StepVerifier.create(service.get(ACME, SubjectType.DOMAIN, "never-seen.example"))
                    .expectError(ApiException.NotFound.class).verify();
        }

        // One read for acme's override, one for the global verdict; the repeats are answered by Redis.
        assertThat(store.reads.get()).isEqualTo(2);
    }

    @Test
    void hundredConcurrentReadsOfAColdKeyCauseOneDatabaseReadPerOwner() {
        store.save(ReputationEntry.of(ReputationOwner.GLOBAL, SubjectType.DOMAIN, "hot.example",
                ReputationVerdict.MALICIOUS, 0.9, "feed-1", clock.instant(), clock.instant().plusSeconds(3600))).block();
        store.delay = Duration.ofMillis(200);

        List<ReputationView> views = Flux.range(0, 100)
                .flatMap(i -> service.get(ACME, SubjectType.DOMAIN, "hot.example"), 100)
                .collectList().block(Duration.ofSeconds(10));

        assertThat(views).hasSize(100).allMatch(view -> view.verdict() == ReputationVerdict.MALICIOUS);
        assertThat(store.reads.get()).isEqualTo(2);
    }

    @Test
    void everyReadIsAnsweredCorrectlyWhileRedisIsDeadAndTheCacheReturnsWithIt() {
        putGlobal("x@y.example", ReputationVerdict.SUSPICIOUS, 3600);
        get(ACME, "x@y.example");
        int readsBefore = store.reads.get();

        fixture.kill();
        for (int i = 0; i < 10; i++) {
            assertThat(get(ACME, "x@y.example").verdict()).isEqualTo(ReputationVerdict.SUSPICIOUS);
        }
        // Without Redis each read asks MongoDB for the override and then for the global verdict.
        assertThat(store.reads.get()).isEqualTo(readsBefore + 20);

        fixture.restart();
        // Cached again once the breaker has closed: a read then leaves the database alone.
        assertThat(com.phishnet.store.platform.redis.ResilientRedisTestAccess.eventually(() -> Mono.fromCallable(() -> {
            get(ACME, "x@y.example");
            int reads = store.reads.get();
            get(ACME, "x@y.example");
            return store.reads.get() == reads;
        }))).isTrue();
    }

    private ReputationView get(String tenant, String sender) {
        return service.get(tenant, SubjectType.SENDER, sender).block();
    }

    private void putGlobal(String sender, ReputationVerdict verdict, long ttlSeconds) {
        service.putGlobal(new PutVerdict(SubjectType.SENDER, sender, verdict, 0.9, "feed-1", ttlSeconds)).block();
    }

    private void putOverride(String tenant, String sender, ReputationVerdict verdict) {
        service.putOverride(tenant, new PutVerdict(SubjectType.SENDER, sender, verdict, 0.1, "analyst", 3600)).block();
    }

    private String cached(ReputationOwner owner, String sender) {
        return fixture.redis().get(ReputationService.CACHE, owner.cacheKey(SubjectType.SENDER, sender)).block()
                .orElse(null);
    }

    /** The database side: an in-memory double that counts reads, standing in only at this boundary. */
    static final class CountingStore implements ReputationStore {

        final Map<String, ReputationEntry> entries = new ConcurrentHashMap<>();
        final AtomicInteger reads = new AtomicInteger();
        volatile Duration delay = Duration.ZERO;

        @Override
        public Mono<ReputationEntry> findValid(ReputationOwner owner, SubjectType type, String subject, Instant now) {
            return Mono.delay(delay).then(Mono.fromCallable(() -> {
                reads.incrementAndGet();
                ReputationEntry entry = entries.get(owner.documentId(type, subject));
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
