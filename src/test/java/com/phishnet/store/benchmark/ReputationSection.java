package com.phishnet.store.benchmark;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import com.mongodb.reactivestreams.client.MongoCollection;
import com.phishnet.store.reputation.ReputationEntry;
import com.phishnet.store.reputation.ReputationFields;
import com.phishnet.store.reputation.ReputationOwner;
import com.phishnet.store.reputation.ReputationVerdict;
import com.phishnet.store.reputation.SubjectType;
import com.phishnet.store.support.bench.BenchmarkResults.Row;
import com.phishnet.store.support.bench.BenchmarkResults.Section;
import com.phishnet.store.support.bench.BenchmarkResults.Target;
import com.phishnet.store.support.bench.Measurement;
import com.phishnet.store.support.bench.Operation;
import com.phishnet.store.support.bench.Ratio;
import io.micrometer.core.instrument.Counter;
import org.bson.Document;

import org.springframework.data.redis.core.ScanOptions;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reputation look-ups of a tenant's overrides (one Redis key each, so a hit is one GET): a Redis hit and a miss
 * (Redis, then MongoDB, then the Redis fill) over HTTP and inside the service, next to the driver's find of the same
 * entry. Hits read 100 hot domains, warmed before each hit run; misses read domains Redis does not hold, each once:
 * the tenant's cached entries are deleted before every miss run, and the share of look-ups Redis answered during
 * each run is reported from the service's own cache counters.
 */
final class ReputationSection {

    static final String TENANT = "rep";
    static final String PATH = "GET /api/v1/reputation";
    static final String IN_PROCESS = "ReputationService.get";
    static final String RAW_PATH = "find the override";
    static final String HTTP_HIT = "service (HTTP), Redis hit";
    static final String HTTP_MISS = "service (HTTP), miss: MongoDB";
    static final String SERVICE_HIT = "service (in-process), Redis hit";
    static final String SERVICE_MISS = "service (in-process), miss: MongoDB";
    static final String RAW = "raw driver";
    static final double TARGET_SPEED_UP = 5;
    private static final int HOT = 100;
    private static final int SEED_BATCH = 5_000;
    private static final ReputationOwner OWNER = ReputationOwner.tenant(TENANT);

    private final StoreBenchmark bench;
    private final AtomicLong hotCalls = new AtomicLong();
    private final AtomicLong coldCalls = new AtomicLong();

    ReputationSection(StoreBenchmark bench) {
        this.bench = bench;
    }

    Section run() {
        String unavailable = bench.redisUnavailable();
        if (unavailable != null) {
            bench.target(Target.of("reputation: Redis hit vs miss", "miss mean ÷ hit mean", OptionalDouble.empty(), "×",
                    "≥ 5", null, "not measured: " + unavailable));
            return new Section("reputation", "Reputation look-ups", "Not measured: " + unavailable
                    + ". Without Redis every look-up is a miss; install redis-server to measure the cache.", List.of());
        }
        var parameters = bench.parameters();
        int subjects = parameters.reputationSubjects();
        StoreBenchmark.logged("reputation: " + (subjects + HOT) + " overrides seeded in tenant '" + TENANT + "'",
                () -> seed(subjects));
        String analyst = bench.http().token("analyst-rep", TENANT, List.of("ANALYST"));
        WebClient web = bench.http().web();
        MongoCollection<Document> collection = bench.client().getDatabase(bench.database())
                .getCollection(ReputationFields.COLLECTION);

        Operation httpHit = invocation -> lookUp(web, analyst, hot());
        Operation httpMiss = invocation -> lookUp(web, analyst, cold(subjects));
        Operation serviceHit = invocation -> bench.reputation().get(TENANT, SubjectType.DOMAIN, hot());
        Operation serviceMiss = invocation -> bench.reputation().get(TENANT, SubjectType.DOMAIN, cold(subjects));
        Operation driver = invocation -> Mono.from(collection.find(validOverride(cold(subjects), bench.clock().instant()))
                        .first())
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("a seeded override is missing")));

        int workers = parameters.reputationConcurrency();
        Measured hitOverHttp = hits(() -> bench.closed("reputation", PATH, HTTP_HIT, workers, httpHit));
        Measured missOverHttp = misses(() -> bench.closed("reputation", PATH, HTTP_MISS, workers, httpMiss));
        Measured hitInService = hits(() -> bench.closed("reputation", IN_PROCESS, SERVICE_HIT, workers, serviceHit));
        Measured missInService = misses(() -> bench.closed("reputation", IN_PROCESS, SERVICE_MISS, workers, serviceMiss));
        coldCalls.set(0);
        Measurement direct = bench.closed("reputation", RAW_PATH, RAW, workers, driver);
        List<Row> rows = new ArrayList<>(List.of(hitOverHttp.row(PATH, HTTP_HIT, direct),
                missOverHttp.row(PATH, HTTP_MISS, direct), hitInService.row(IN_PROCESS, SERVICE_HIT, direct),
                missInService.row(IN_PROCESS, SERVICE_MISS, direct), Row.of(RAW_PATH, RAW, direct)));
        speedUp("over HTTP", hitOverHttp.measurement(), missOverHttp.measurement());
        speedUp("in the service", hitInService.measurement(), missInService.measurement());

        for (double rate : parameters.reputationRates()) {
            Measured hit = hits(() -> bench.open("reputation", PATH, HTTP_HIT, rate, httpHit));
            Measured miss = misses(() -> bench.open("reputation", PATH, HTTP_MISS, rate, httpMiss));
            coldCalls.set(0);
            Measurement find = bench.open("reputation", RAW_PATH, RAW, rate, driver);
            rows.add(hit.row(PATH, HTTP_HIT, find));
            rows.add(miss.row(PATH, HTTP_MISS, find));
            rows.add(Row.of(RAW_PATH, RAW, find));
        }
        return new Section("reputation", "Reputation look-ups: Redis hit vs miss vs the driver's find",
                String.format("A tenant's domain overrides (%,d seeded; one Redis GET answers a hit). Hits read 100 hot"
                        + " domains; misses read each domain once after the tenant's cache entries were deleted, so"
                        + " every miss is a Redis GET, a MongoDB find and a Redis SET. The driver side runs the"
                        + " service's find (tenantId, subjectType, subject, unexpired). In-process rows call"
                        + " ReputationService.get without HTTP. Closed loop at %d workers. 'Redis hits' counts the"
                        + " whole run, warm-up included.", subjects + HOT, workers), rows);
    }

    /** A measurement and the share of its look-ups Redis answered. */
    private record Measured(Measurement measurement, Double hitShare) {

        Row row(String path, String side, Measurement baseline) {
            return Row.compared(path, side, measurement, baseline, RAW).withHitShare(hitShare);
        }
    }

    /** A hit run: the hot domains are in Redis when it starts. */
    private Measured hits(Supplier<Measurement> measure) {
        Flux.range(0, HOT).concatMap(i -> bench.reputation().get(TENANT, SubjectType.DOMAIN, "hot" + i + ".example"))
                .blockLast(Duration.ofMinutes(1));
        return counted(measure);
    }

    /** A miss run: none of the tenant's cold domains is in Redis when it starts, and each is read once. */
    private Measured misses(Supplier<Measurement> measure) {
        forgetColdDomains();
        coldCalls.set(0);
        return counted(measure);
    }

    private Measured counted(Supplier<Measurement> measure) {
        double[] before = cacheCounts();
        Measurement measurement = measure.get();
        return new Measured(measurement, hitShare(before, cacheCounts()));
    }

    /** The target: a hit at least five times faster than a miss (mean latency at the same concurrency). */
    private void speedUp(String where, Measurement hit, Measurement miss) {
        // The hit's speed relative to the miss: the miss's mean over the hit's.
        OptionalDouble speedUp = Ratio.meanLatency(hit, miss);
        bench.target(Target.of("reputation " + where + ": Redis hit vs miss", "miss mean ÷ hit mean, closed loop",
                speedUp, "×", "≥ 5", Ratio.atLeast(speedUp, TARGET_SPEED_UP), null));
    }

    private static Mono<?> lookUp(WebClient web, String token, String domain) {
        return BenchHttp.expect(web.get().uri(builder -> builder.path("/api/v1/reputation").queryParam("type", "DOMAIN")
                        .queryParam("subject", domain).build())
                .headers(headers -> headers.setBearerAuth(token)), 200);
    }

    private String hot() {
        return "hot" + (hotCalls.getAndIncrement() % HOT) + ".example";
    }

    /** The next domain not read since the last deletion; after the whole pool, domains read again (they may hit). */
    private String cold(int subjects) {
        return "d" + (coldCalls.getAndIncrement() % subjects) + ".example";
    }

    /** ReputationRepository.validQuery of a tenant override. */
    static Document validOverride(String domain, Instant now) {
        return new Document(ReputationFields.TENANT_ID, TENANT).append(ReputationFields.SUBJECT_TYPE, SubjectType.DOMAIN.name())
                .append(ReputationFields.SUBJECT, domain)
                .append(ReputationFields.EXPIRES_AT, new Document("$gt", Date.from(now)));
    }

    /** Deletes the tenant's cached cold domains (and their "unknown" markers) from Redis. */
    private void forgetColdDomains() {
        String pattern = OWNER.cacheKey(SubjectType.DOMAIN, "d") + "*";
        bench.redisTemplate().scan(ScanOptions.scanOptions().match(pattern).count(1_000).build())
                .buffer(500)
                .concatMap(keys -> bench.redisTemplate().delete(keys.toArray(String[]::new)))
                .blockLast(Duration.ofMinutes(2));
    }

    /** hit, miss, error, bypassed: the service's own count of reputation cache look-ups. */
    private double[] cacheCounts() {
        String[] results = {"hit", "miss", "error", "bypassed"};
        double[] counts = new double[results.length];
        for (int i = 0; i < results.length; i++) {
            Counter counter = bench.meters().find("phishnet.cache.requests").tag("cache", "reputation")
                    .tag("result", results[i]).counter();
            counts[i] = counter == null ? 0 : counter.count();
        }
        return counts;
    }

    private static Double hitShare(double[] before, double[] after) {
        double hits = after[0] - before[0];
        double all = 0;
        for (int i = 0; i < after.length; i++) {
            all += after[i] - before[i];
        }
        return all == 0 ? null : hits / all;
    }

    /** Overrides as the service stores them, through the application's template, valid for a day. */
    private Object seed(int subjects) {
        Instant now = bench.clock().instant();
        List<String> domains = new ArrayList<>(subjects + HOT);
        for (int i = 0; i < HOT; i++) {
            domains.add("hot" + i + ".example");
        }
        for (int i = 0; i < subjects; i++) {
            domains.add("d" + i + ".example");
        }
        Flux.fromIterable(domains)
                .map(domain -> ReputationEntry.of(OWNER, SubjectType.DOMAIN, domain, ReputationVerdict.SUSPICIOUS, 0.6,
                        "benchmark", now, now.plus(Duration.ofDays(1))))
                .buffer(SEED_BATCH)
                .concatMap(batch -> bench.template().insertAll(batch).then())
                .blockLast(Duration.ofMinutes(5));
        return null;
    }
}
