package com.phishnet.store.reputation;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;

import com.phishnet.store.reputation.ReputationRequests.PutVerdict;
import com.phishnet.store.support.MigratedTemplate;
import com.phishnet.store.support.MongoTestDatabase;
import com.phishnet.store.support.RealMongo;
import com.phishnet.store.support.RedisFixture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The reputation read path, cached versus uncached, with a real redis-server and (where one is found, as for
 * the integration tier) a real MongoDB. Not part of the test run: {@code ./mvnw -B test -Pbenchmark}.
 * Prints latency percentiles and throughput of sequential reads, and the hit rate of a skewed workload.
 */
@Tag("benchmark")
class CacheBenchmark {

    private static final int WARMUP = 2_000;
    private static final int READS = 20_000;
    private static final String TENANT = "bench";

    @Test
    void cachedVersusUncachedReads() {
        try (RedisFixture redis = new RedisFixture()) {
            Optional<MongoTestDatabase> mongo = RealMongo.find().map(server -> MongoTestDatabase.create());
            ReputationStore store = mongo.<ReputationStore>map(db -> new ReputationRepository(MigratedTemplate.on(db)))
                    .orElseGet(ReputationServiceTest.CountingStore::new);
            String storeName = mongo.isPresent() ? "MongoDB (" + RealMongo.find().get().source() + ")"
                    : "in-memory double (no MongoDB here: the uncached figures are NOT MongoDB's)";
            ReputationService service = new ReputationService(store, redis.redis(), Clock.systemUTC());
            for (int i = 0; i < 1_000; i++) {
                service.putGlobal(new PutVerdict(SubjectType.DOMAIN, "d" + i + ".example", ReputationVerdict.SUSPICIOUS, 0.5,
                        "bench", 3600)).block();
            }
            System.out.println("store: " + storeName);

            measure("cached read (Redis hit)", i -> service.get(TENANT, SubjectType.DOMAIN, "d" + (i % 100) + ".example").block());
            measure("uncached read (evicted, database)", i -> {
                String subject = "d" + (i % 1_000) + ".example";
                evict(redis, subject);
                service.get(TENANT, SubjectType.DOMAIN, subject).block();
            });

            // Start the skewed workload cold, so its hit rate includes the misses that fill the cache.
            for (int i = 0; i < 1_000; i++) {
                evict(redis, "d" + i + ".example");
            }
            double hitsBefore = redis.counted(ReputationService.CACHE, "hit");
            double missesBefore = redis.counted(ReputationService.CACHE, "miss");
            Random random = new Random(42);
            for (int i = 0; i < READS; i++) {
                // 90 % of lookups go to 50 hot domains, the rest spread over all 1000.
                int domain = random.nextDouble() < 0.9 ? random.nextInt(50) : random.nextInt(1_000);
                service.get(TENANT, SubjectType.DOMAIN, "d" + domain + ".example").block();
            }
            double hits = redis.counted(ReputationService.CACHE, "hit") - hitsBefore;
            double misses = redis.counted(ReputationService.CACHE, "miss") - missesBefore;
            System.out.printf("skewed workload: %d reads, hit rate %.1f %%%n", READS, 100 * hits / (hits + misses));
            mongo.ifPresent(MongoTestDatabase::close);
        }
    }

    /** Cold again: the tenant's (negative) entry and the global verdict both leave Redis. */
    private static void evict(RedisFixture redis, String domain) {
        for (ReputationOwner owner : new ReputationOwner[] {ReputationOwner.tenant(TENANT), ReputationOwner.GLOBAL}) {
            redis.redis().delete(ReputationService.CACHE, owner.cacheKey(SubjectType.DOMAIN, domain)).block();
        }
    }

    private static void measure(String name, java.util.function.IntConsumer read) {
        for (int i = 0; i < WARMUP; i++) {
            read.accept(i);
        }
        long[] nanos = new long[READS];
        long start = System.nanoTime();
        for (int i = 0; i < READS; i++) {
            long t = System.nanoTime();
            read.accept(i);
            nanos[i] = System.nanoTime() - t;
        }
        Duration total = Duration.ofNanos(System.nanoTime() - start);
        Arrays.sort(nanos);
        System.out.printf("%-36s %7.0f reads/s  p50 %6.3f ms  p95 %6.3f ms  p99 %6.3f ms%n", name,
                READS / (total.toNanos() / 1e9), ms(nanos, 0.50), ms(nanos, 0.95), ms(nanos, 0.99));
    }

    private static double ms(long[] sorted, double percentile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(percentile * sorted.length))] / 1e6;
    }

}
