package com.phishnet.store.benchmark;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;

import com.mongodb.reactivestreams.client.MongoCollection;
import com.phishnet.store.scans.ScanFields;
import com.phishnet.store.scans.ScanResult;
import com.phishnet.store.scans.Verdict;
import com.phishnet.store.support.bench.BenchmarkResults.Row;
import com.phishnet.store.support.bench.BenchmarkResults.Section;
import com.phishnet.store.support.bench.BenchmarkResults.Target;
import com.phishnet.store.support.bench.Measurement;
import com.phishnet.store.support.bench.Operation;
import org.bson.Document;

import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Paged reads of one tenant's scans, as an analyst lists them (newest first, 50 a page): the first offset page, the
 * offset page at a depth (10,000 by default: the server skips that many index entries), and the keyset cursor at the
 * same depth (it seeks). Each over HTTP next to the driver running the query the service runs — for an offset page
 * with the count the service runs beside it for {@code total}.
 */
final class ReadsSection {

    static final String TENANT = "reads";
    static final String SERVICE = "service (HTTP)";
    static final String RAW = "raw driver";
    /** The seeds' 1,000 queries/s with a p95 under 100 ms, beaten by an order of magnitude. */
    static final double SEED_RATE = 1_000;
    static final double SEED_P95_MS = 100;
    private static final int SEED_BATCH = 1_000;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Document NEWEST_FIRST = new Document(ScanFields.SCANNED_AT, -1).append(ScanFields.ID, -1);

    private final StoreBenchmark bench;

    ReadsSection(StoreBenchmark bench) {
        this.bench = bench;
    }

    private record Path(String name, Operation service, Operation driver) {
    }

    Section run() {
        var parameters = bench.parameters();
        int depth = parameters.readsDepth();
        int size = parameters.readsPageSize();
        int scans = depth + Math.max(size, SEED_BATCH);
        StoreBenchmark.logged("reads: " + scans + " scans seeded in tenant '" + TENANT + "'", () -> seed(scans));
        String analyst = bench.http().token("analyst-reads", TENANT, List.of("ANALYST"));
        String cursor = StoreBenchmark.logged("reads: keyset cursor walked to depth " + depth, () -> cursorAt(analyst, depth));
        MongoCollection<Document> collection = bench.client().getDatabase(bench.database())
                .getCollection(ScanFields.COLLECTION);
        Document tenant = new Document(ScanFields.TENANT_ID, TENANT);
        Document atDepth = Mono.from(collection.find(tenant).sort(NEWEST_FIRST).skip(depth - 1).limit(1).first())
                .blockOptional(Duration.ofSeconds(30))
                .orElseThrow(() -> new IllegalStateException("fewer than " + depth + " scans seeded"));
        Document keyset = keysetFilter(atDepth.getDate(ScanFields.SCANNED_AT).toInstant(), atDepth.getString(ScanFields.ID));
        WebClient web = bench.http().web();

        List<Path> paths = List.of(
                new Path("offset page 1", invocation -> get(web, analyst, "/api/v1/scans?page=1&size=" + size),
                        invocation -> offsetPage(collection, tenant, 0, size)),
                new Path(String.format("offset page at depth %,d", depth),
                        invocation -> get(web, analyst, "/api/v1/scans?page=" + (depth / size + 1) + "&size=" + size),
                        invocation -> offsetPage(collection, tenant, depth, size)),
                new Path(String.format("keyset cursor at depth %,d", depth),
                        invocation -> BenchHttp.expect(web.get().uri(builder -> builder.path("/api/v1/scans")
                                        .queryParam("cursor", "{cursor}").queryParam("size", size).build(cursor))
                                .headers(headers -> headers.setBearerAuth(analyst)), 200),
                        invocation -> Flux.from(collection.find(keyset).sort(NEWEST_FIRST).limit(size)).collectList()));
        StoreBenchmark.logged("reads: each path's first row over HTTP and through the driver compared", () -> {
            sameFirstRows(web, analyst, size, depth, cursor, collection, tenant, keyset);
            return null;
        });

        List<Row> rows = new ArrayList<>();
        Map<String, Measurement> closedService = new java.util.LinkedHashMap<>();
        Map<String, Measurement> atSeedRate = new java.util.LinkedHashMap<>();
        // The side measured first alternates from one comparison to the next; with three paths (an odd count) it
        // also alternates for each path from one rate to the next.
        int turn = 0;
        for (Path path : paths) {
            StoreBenchmark.SideBySide measured = StoreBenchmark.inTurn(turn++,
                    () -> bench.closed("reads", path.name(), SERVICE, parameters.readsConcurrency(), path.service()),
                    () -> bench.closed("reads", path.name(), RAW, parameters.readsConcurrency(), path.driver()));
            rows.add(Row.compared(path.name(), SERVICE, measured.service(), measured.raw(), RAW));
            rows.add(Row.of(path.name(), RAW, measured.raw()));
            closedService.put(path.name(), measured.service());
        }
        for (double rate : parameters.readsRates()) {
            for (Path path : paths) {
                StoreBenchmark.SideBySide measured = StoreBenchmark.inTurn(turn++,
                        () -> bench.open("reads", path.name(), SERVICE, rate, path.service()),
                        () -> bench.open("reads", path.name(), RAW, rate, path.driver()));
                rows.add(Row.compared(path.name(), SERVICE, measured.service(), measured.raw(), RAW));
                rows.add(Row.of(path.name(), RAW, measured.raw()));
                if (rate == SEED_RATE) {
                    atSeedRate.put(path.name(), measured.service());
                }
            }
        }
        seedTargets(closedService, atSeedRate);
        return new Section("reads", String.format("Paged reads: %d scans a page, newest first", size),
                String.format("An ANALYST lists the %,d scans of one tenant. Offset pages answer {items, page, size,"
                        + " total, pages, links}: the driver side runs the same find (sort, skip, limit) and the same"
                        + " count. The keyset cursor answers {items, nextCursor}: the driver side runs the same keyset"
                        + " query. Closed loop at %d workers.", scans, parameters.readsConcurrency()), rows);
    }

    /**
     * The seeds' 1,000 queries/s with p95 under 100 ms, beaten by an order of magnitude: ten times the queries within
     * that p95, and, at the seeds' own rate, a tenth of it.
     */
    private void seedTargets(Map<String, Measurement> closed, Map<String, Measurement> atSeedRate) {
        closed.forEach((path, measurement) -> {
            OptionalDouble throughput = measurement.hasSamples() && measurement.latency().p95Millis() < SEED_P95_MS
                    ? OptionalDouble.of(measurement.throughput()) : OptionalDouble.empty();
            bench.target(Target.of("reads, " + path + ": queries/s within the seeds' p95 < 100 ms",
                    "closed-loop queries/s over HTTP", throughput, "queries/s", "≥ 10,000 (10 × 1,000)",
                    throughput.isPresent() && throughput.getAsDouble() >= 10 * SEED_RATE,
                    throughput.isPresent() ? null : "p95 not under 100 ms at this concurrency"));
        });
        atSeedRate.forEach((path, measurement) -> {
            OptionalDouble p95 = measurement.hasSamples() && !measurement.saturated()
                    ? OptionalDouble.of(measurement.latency().p95Millis()) : OptionalDouble.empty();
            bench.target(Target.of("reads, " + path + ": p95 at the seeds' 1,000 queries/s", "open-model p95 over HTTP",
                    p95, "ms", "< 10 (100 ÷ 10)", p95.isPresent() ? p95.getAsDouble() < SEED_P95_MS / 10 : Boolean.FALSE,
                    measurement.saturated() ? "saturated" : null));
        });
    }

    private static Mono<?> get(WebClient web, String token, String uri) {
        return BenchHttp.expect(web.get().uri(uri).headers(headers -> headers.setBearerAuth(token)), 200);
    }

    /** What ScanService.scans runs: the page and, beside it, the count for {@code total}. */
    private static Mono<?> offsetPage(MongoCollection<Document> collection, Document tenant, int skip, int size) {
        return Mono.zip(Flux.from(collection.find(tenant).sort(NEWEST_FIRST).skip(skip).limit(size)).collectList(),
                Mono.from(collection.countDocuments(tenant)));
    }

    /** Strictly after (at, id) in (scannedAt desc, _id desc) order, bounded above by at (ScanRepository.scanPage). */
    static Document keysetFilter(Instant at, String id) {
        java.util.Date time = java.util.Date.from(at);
        return new Document(ScanFields.TENANT_ID, TENANT)
                .append(ScanFields.SCANNED_AT, new Document("$lte", time))
                .append("$or", List.of(new Document(ScanFields.SCANNED_AT, new Document("$lt", time)),
                        new Document("$and", List.of(new Document(ScanFields.SCANNED_AT, time),
                                new Document(ScanFields.ID, new Document("$lt", id))))));
    }

    /** Scans as the service stores them, through the application's template; two share each second. */
    private Object seed(int count) {
        Instant newest = bench.clock().instant().minusSeconds(60);
        Flux.range(0, (count + SEED_BATCH - 1) / SEED_BATCH)
                .concatMap(batch -> {
                    List<ScanResult> scans = new ArrayList<>(SEED_BATCH);
                    for (int i = batch * SEED_BATCH; i < Math.min(count, (batch + 1) * SEED_BATCH); i++) {
                        Verdict verdict = i % 10 == 0 ? Verdict.MALICIOUS : i % 5 == 1 ? Verdict.SUSPICIOUS : Verdict.CLEAN;
                        Instant scanned = newest.minusSeconds(i / 2);
                        scans.add(new ScanResult(java.util.UUID.randomUUID().toString(), TENANT, "u-" + (i % 40),
                                java.util.UUID.randomUUID().toString(), "sender" + (i % 300) + "@mail" + (i % 17) + ".example",
                                verdict, verdict, verdict == Verdict.CLEAN ? 0.04 : 0.8,
                                List.of(new ScanResult.Indicator("url", "http://x" + (i % 500) + ".example/login", 0.6)),
                                "m-bench-1", Map.of("model", 12L, "total", 31L), "seed-" + bench.run() + "-" + i,
                                "0".repeat(64), scanned, false, scanned));
                    }
                    return bench.template().insertAll(scans).then();
                })
                .blockLast(Duration.ofMinutes(5));
        return null;
    }

    /** Walks the keyset pages (1,000 at a time) to the depth; the cursor that continues from there. */
    private String cursorAt(String analyst, int depth) {
        String cursor = "";
        for (int walked = 0; walked < depth; ) {
            int take = Math.min(1_000, depth - walked);
            String from = cursor;
            Map<?, ?> page = BenchHttp.json(bench.http().web().get()
                    .uri(builder -> builder.path("/api/v1/scans").queryParam("cursor", "{cursor}").queryParam("size", take)
                            .build(from))
                    .headers(headers -> headers.setBearerAuth(analyst)), 200).block(WAIT);
            Object next = page.get("nextCursor");
            if (next == null) {
                throw new IllegalStateException("the keyset walk ended at " + walked + " of " + depth + " scans");
            }
            cursor = next.toString();
            walked += take;
        }
        return cursor;
    }

    /** The service and the driver queries start at the same scan for each path, so they read the same page. */
    private static void sameFirstRows(WebClient web, String analyst, int size, int depth, String cursor,
            MongoCollection<Document> collection, Document tenant, Document keyset) {
        Function<Map<?, ?>, String> first = page -> ((Map<?, ?>) ((List<?>) page.get("items")).get(0)).get("id").toString();
        String pageOne = first.apply(BenchHttp.json(web.get().uri("/api/v1/scans?page=1&size=" + size)
                .headers(headers -> headers.setBearerAuth(analyst)), 200).block(WAIT));
        String deep = first.apply(BenchHttp.json(web.get().uri("/api/v1/scans?page=" + (depth / size + 1) + "&size=" + size)
                .headers(headers -> headers.setBearerAuth(analyst)), 200).block(WAIT));
        String viaCursor = first.apply(BenchHttp.json(web.get()
                .uri(builder -> builder.path("/api/v1/scans").queryParam("cursor", "{cursor}").queryParam("size", size)
                        .build(cursor))
                .headers(headers -> headers.setBearerAuth(analyst)), 200).block(WAIT));
        String rawPageOne = Mono.from(collection.find(tenant).sort(NEWEST_FIRST).limit(1).first()).block(WAIT).getString("_id");
        String rawDeep = Mono.from(collection.find(tenant).sort(NEWEST_FIRST).skip(depth).limit(1).first()).block(WAIT)
                .getString("_id");
        String rawKeyset = Mono.from(collection.find(keyset).sort(NEWEST_FIRST).limit(1).first()).block(WAIT).getString("_id");
        if (!pageOne.equals(rawPageOne) || !deep.equals(rawDeep) || !viaCursor.equals(rawKeyset) || !deep.equals(viaCursor)) {
            throw new IllegalStateException(String.format("the reads do not start at the same scan: page 1 %s/%s, offset"
                    + " at depth %s/%s, cursor at depth %s/%s (service/driver)", pageOne, rawPageOne, deep, rawDeep,
                    viaCursor, rawKeyset));
        }
    }
}
