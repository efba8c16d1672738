package com.phishnet.store.streams;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.reactivestreams.client.MongoClient;
import com.phishnet.store.platform.security.Access.Scope;
import com.phishnet.store.scans.ScanFields;
import com.phishnet.store.support.AppOnRealMongo;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.RealMongo;
import com.phishnet.store.support.RequiresRealMongo;
import com.phishnet.store.support.bench.SeparateResults;
import io.micrometer.core.instrument.MeterRegistry;
import org.HdrHistogram.Histogram;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * SSE fan-out lag: from a scan's commit to its arrival at every subscriber of {@code /streams/scans}, for 1, 100,
 * 1,000 and 10,000 subscribers on loopback, each next to the single subscriber's. The target is a p99 at 10,000
 * no more than twice the single one's: the shared cursor reads each change once, whatever the audience.
 *
 * <p>Not part of the test run: {@code ./mvnw -Pbenchmark verify -Dtest=StreamFanOutBenchmark}, wherever the
 * integration tier finds a MongoDB (without one it is skipped with the tier's one line). It measures and prints a
 * Markdown table and writes {@code target/benchmark/stream-fanout.json}, which the one-command benchmark's
 * results.json carries in its SSE slot; it asserts no timing. The commit time is the change event's {@code wallTime}
 * (MongoDB 6.0+, in milliseconds, by the server's clock) read by a change stream of the benchmark's own, so run it
 * with MongoDB on the same host.
 *
 * <p>The subscribers are one JVM's HTTP clients on event loops of their own, sharing the machine with the service
 * and MongoDB: on a small machine the figures include the clients' own work of reading 10,000 streams.
 */
@Tag("benchmark")
@RequiresRealMongo
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("local")
class StreamFanOutBenchmark {

    private static final String DATABASE = RealMongo.newDatabaseName();
    private static final int[] AUDIENCES = {1, 100, 1_000, 10_000};
    /** Deliveries measured per audience, spread over at least {@link #MIN_EVENTS} scans. */
    private static final int DELIVERIES = 2_000;
    private static final int MIN_EVENTS = 20;
    private static final int WARMUP_EVENTS = 3;
    /** One open connection at each end of loopback per subscriber, and room for everything else. */
    private static final long SPARE_FILES = 1_000;
    private static final Duration DELIVERY_WAIT = Duration.ofSeconds(60);
    private static final ParameterizedTypeReference<ServerSentEvent<String>> EVENTS = new ParameterizedTypeReference<>() {
    };
    private static final String ID_FIELD = "{\"id\":\"";
    private static final int OPENING_AT_ONCE = 256;
    private static final long LONGEST_LAG_MICROS = TimeUnit.MINUTES.toMicros(5);

    @Autowired
    WebTestClient http;
    @Autowired
    MongoClient client;
    @Autowired
    MeterRegistry meters;
    @LocalServerPort
    int port;

    private final Map<String, Deliveries> deliveries = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Long>> commits = new ConcurrentHashMap<>();
    private final AtomicInteger scans = new AtomicInteger();
    private volatile int audience;
    private String tenant;
    private String scanner;
    private String userId;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        AppOnRealMongo.register(registry, DATABASE);
        // Every subscriber is the same admin on one instance: lift both bounds above the largest audience.
        registry.add("phishnet.streams.max-per-principal", () -> "30000");
        registry.add("phishnet.streams.max-per-instance", () -> "30000");
    }

    @AfterAll
    static void dropDatabase(@Autowired MongoClient client) {
        AppOnRealMongo.drop(client, DATABASE);
    }

    @Test
    void fanOutLagFromCommitToReceipt() throws Exception {
        tenant = "bench" + RealMongo.newDatabaseName().substring(3, 11);
        String admin = DevTokens.mint(http, "admin-1", tenant, List.of("ADMIN"));
        scanner = DevTokens.mint(http, "scanner-1", tenant, List.of(), Scope.SCANS_WRITE.value());
        userId = http.post().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", "bench@example.com", "role", "USER"))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("user") instanceof Map<?, ?> user ? user.get("id").toString() : null;
        LoopResources clientLoops = LoopResources.create("bench-client", Runtime.getRuntime().availableProcessors(), true);
        WebClient subscribers = WebClient.builder().baseUrl("http://localhost:" + port)
                .clientConnector(new ReactorClientHttpConnector(
                        HttpClient.create(ConnectionProvider.newConnection()).runOn(clientLoops)))
                .build();
        Disposable commitTimes = watchCommits();
        Instant started = Instant.now();
        List<String> rows = new ArrayList<>();
        List<Map<String, Object>> figures = new ArrayList<>();
        Histogram single = null;
        try {
            for (int size : AUDIENCES) {
                long files = maxOpenFiles();
                if (files > 0 && files < 2L * size + SPARE_FILES) {
                    String skipped = String.format("skipped: the open-file limit is %,d, %,d needed (ulimit -n)", files,
                            2L * size + SPARE_FILES);
                    rows.add(String.format("| %,d | %s | | | | | | |", size, skipped));
                    figures.add(Map.of("subscribers", size, "skipped", skipped));
                    continue;
                }
                Level level = measure(subscribers, admin, size);
                if (size == 1) {
                    single = level.lags();
                }
                rows.add(level.row(single));
                figures.add(level.figures(single));
            }
        }
        finally {
            commitTimes.dispose();
            clientLoops.disposeLater().block(Duration.ofSeconds(30));
        }
        print(rows, single);
        System.out.println("Results: " + SeparateResults.write(SeparateResults.STREAM_FAN_OUT,
                "SSE fan-out lag, commit to receipt", started, Map.of("mongo", RealMongo.find().orElseThrow().source(),
                        "target", "p99 at 10,000 subscribers at most 2x the single subscriber's p99", "levels", figures))
                .toAbsolutePath());
    }

    /** One audience: open it, warm up, deliver scans one after the other, close it. */
    private Level measure(WebClient subscribers, String admin, int size) throws InterruptedException {
        audience = size;
        Disposable.Composite connections = Disposables.composite();
        // A bounded number of connections being opened at once, so the listen backlog never overflows.
        Semaphore connecting = new Semaphore(OPENING_AT_ONCE);
        try {
            for (int i = 0; i < size; i++) {
                if (!connecting.tryAcquire(1, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("a stream took over a minute to open, at " + i + " of " + size);
                }
                connections.add(subscribe(subscribers, admin, connecting));
            }
            if (!connecting.tryAcquire(OPENING_AT_ONCE, 1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the last streams of " + size + " did not open within a minute");
            }
            // The first scans also wait for the shared cursor to open (it opens with its first subscriber).
            for (int i = 0; i < WARMUP_EVENTS; i++) {
                deliverUntilAllReceive();
            }
            int events = Math.max(MIN_EVENTS, DELIVERIES / size);
            Histogram lags = new Histogram(LONGEST_LAG_MICROS, 3);
            long lost = 0;
            for (int i = 0; i < events; i++) {
                String id = ingest();
                Deliveries arrived = deliveries(id);
                arrived.all.await(DELIVERY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                long committedMicros = commitOf(id);
                int received = Math.min(arrived.count.get(), size);
                lost += size - received;
                for (int k = 0; k < received; k++) {
                    lags.recordValue(Math.min(LONGEST_LAG_MICROS, Math.max(0, arrived.arrivalMicros[k] - committedMicros)));
                }
            }
            return new Level(size, events, lags, lost);
        }
        finally {
            connections.dispose();
            awaitNoSubscribers();
            deliveries.clear();
        }
    }

    private Disposable subscribe(WebClient subscribers, String admin, Semaphore connecting) {
        AtomicBoolean answered = new AtomicBoolean();
        Runnable settled = () -> {
            if (answered.compareAndSet(false, true)) {
                connecting.release();
            }
        };
        return subscribers.get().uri("/api/v1/streams/scans")
                .headers(headers -> headers.setBearerAuth(admin))
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchangeToFlux(response -> {
                    settled.run();
                    return response.statusCode().is2xxSuccessful() ? response.bodyToFlux(EVENTS)
                            : response.<ServerSentEvent<String>>createError().flux();
                })
                .filter(event -> "scan".equals(event.event()))
                .subscribe(event -> {
                    // The time first: nothing of the client's own bookkeeping counts as lag.
                    long at = nowMicros();
                    deliveries(scanId(event.data())).arrived(at);
                }, failed -> {
                    settled.run();
                    System.out.println("a subscriber failed: " + failed);
                });
    }

    /**
     * A scan, then a bounded wait until every subscriber and the commit-time stream have it; more scans while the
     * shared cursor (which opens with its first subscriber) and the commit-time stream are opening.
     */
    private void deliverUntilAllReceive() throws InterruptedException {
        for (int attempt = 0; attempt < 20; attempt++) {
            String id = ingest();
            boolean delivered = deliveries(id).all.await(attempt == 0 ? 2 : 5, TimeUnit.SECONDS);
            CompletableFuture<Long> commit = commits.remove(id);
            if (delivered && commit != null && commit.isDone()) {
                commit.join();
                return;
            }
        }
        throw new IllegalStateException("no warm-up scan reached all " + audience + " subscribers and the commit times");
    }

    private String ingest() {
        int n = scans.incrementAndGet();
        Instant received = Instant.now().minusSeconds(60);
        Map<?, ?> body = http.post().uri("/api/v1/scans").header(HttpHeaders.AUTHORIZATION, "Bearer " + scanner)
                .header("Idempotency-Key", "bench-" + n).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("userId", userId,
                        "email", Map.of("messageId", "<bench-" + n + "@x.example>", "sender", "a@x.example",
                                "recipients", List.of("b@y.example"), "subject", "Your invoice",
                                "receivedAt", received.toString(), "sizeBytes", 1234),
                        "result", Map.of("verdict", "SUSPICIOUS", "score", 0.6, "indicators", List.of(),
                                "modelVersion", "m-bench", "scannedAt", received.plusSeconds(1).toString())))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        return body.get("id").toString();
    }

    /** The commit time of every scan of the tenant, as MongoDB records it on the change event. */
    private Disposable watchCommits() {
        return Flux.from(client.getDatabase(DATABASE).getCollection(ScanFields.COLLECTION)
                        .watch(List.of(new Document("$match", new Document("operationType", "insert")
                                .append("fullDocument." + ScanFields.TENANT_ID, tenant)))))
                .subscribe(this::committed);
    }

    private void committed(ChangeStreamDocument<Document> change) {
        CompletableFuture<Long> commit = commits.computeIfAbsent(change.getDocumentKey().getString("_id").getValue(),
                key -> new CompletableFuture<>());
        if (change.getWallTime() == null) {
            commit.completeExceptionally(new IllegalStateException("the server records no wallTime (MongoDB before 6.0)"));
        }
        else {
            commit.complete(change.getWallTime().getValue() * 1_000);
        }
    }

    private long commitOf(String id) {
        try {
            return commits.computeIfAbsent(id, key -> new CompletableFuture<>()).get(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException | ExecutionException | TimeoutException unknown) {
            throw new IllegalStateException("no commit time for scan " + id, unknown);
        }
        finally {
            commits.remove(id);
        }
    }

    /** The arrivals of a scan at the current audience, whether the POST's answer or the first arrival comes first. */
    private Deliveries deliveries(String id) {
        return deliveries.computeIfAbsent(id, key -> new Deliveries(audience));
    }

    /** The service has let every closed stream go, so the next audience starts alone. */
    private void awaitNoSubscribers() {
        Flux.interval(Duration.ofMillis(100))
                .map(tick -> meters.get(StreamMetrics.PREFIX + "subscribers").tag("stream", "scans").gauge().value())
                .filter(count -> count == 0)
                .next()
                .block(Duration.ofMinutes(2));
    }

    private void print(List<String> rows, Histogram single) {
        System.out.println();
        System.out.printf("SSE fan-out, commit (the change event's wallTime) to receipt on loopback: %d cores,"
                        + " max heap %d MiB, MongoDB from %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, RealMongo.find().orElseThrow().source());
        System.out.println();
        System.out.println("| subscribers | scans | deliveries | p50 ms | p99 ms | max ms | p99 / single p99 | lost |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
        System.out.println();
        System.out.println("Target: p99 at 10,000 subscribers no more than 2x the single subscriber's"
                + (single == null ? "." : String.format(" (single p99 %.1f ms).", single.getValueAtPercentile(99) / 1000.0)));
    }

    private static String scanId(String data) {
        // A scan's view starts with its id (record component order); no JSON parse on the clients' event loops.
        int start = data.indexOf(ID_FIELD) + ID_FIELD.length();
        return data.substring(start, data.indexOf('"', start));
    }

    private static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    /** The open-file limit of this JVM (server and clients share it), or -1 where the platform does not say. */
    private static long maxOpenFiles() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : -1;
    }

    /** The arrivals of one scan at the subscribers. */
    private static final class Deliveries {

        private final AtomicInteger count = new AtomicInteger();
        private final long[] arrivalMicros;
        private final CountDownLatch all;

        Deliveries(int audience) {
            arrivalMicros = new long[audience];
            all = new CountDownLatch(audience);
        }

        void arrived(long atMicros) {
            int index = count.getAndIncrement();
            if (index < arrivalMicros.length) {
                arrivalMicros[index] = atMicros;
            }
            all.countDown();
        }
    }

    private record Level(int audience, int events, Histogram lags, long lost) {

        /** For the results file: milliseconds, and the p99 over the single subscriber's (null for none). */
        Map<String, Object> figures(Histogram single) {
            Map<String, Object> figures = new java.util.LinkedHashMap<>();
            figures.put("subscribers", audience);
            figures.put("scans", events);
            figures.put("deliveries", lags.getTotalCount());
            figures.put("p50Ms", lags.getValueAtPercentile(50) / 1000.0);
            figures.put("p99Ms", lags.getValueAtPercentile(99) / 1000.0);
            figures.put("maxMs", lags.getMaxValue() / 1000.0);
            figures.put("p99OverSingle", single == null || single.getValueAtPercentile(99) == 0 ? null
                    : (double) lags.getValueAtPercentile(99) / single.getValueAtPercentile(99));
            figures.put("lost", lost);
            return figures;
        }

        String row(Histogram single) {
            double p99 = lags.getValueAtPercentile(99) / 1000.0;
            String ratio = single == null ? "" : String.format("%.2f", p99 / (single.getValueAtPercentile(99) / 1000.0));
            return String.format("| %,d | %d | %,d | %.1f | %.1f | %.1f | %s | %,d |", audience, events,
                    lags.getTotalCount(), lags.getValueAtPercentile(50) / 1000.0, p99, lags.getMaxValue() / 1000.0,
                    ratio, lost);
        }
    }
}
