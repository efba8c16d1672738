package com.phishnet.store.scans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;

import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.ServerAddress;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.scans.ScanBatchReader.Entry;
import com.phishnet.store.scans.ScanBatchReader.Overflow;
import com.phishnet.store.scans.ScanBatchReader.Ready;
import com.phishnet.store.scans.ScanBatchReader.Rejected;
import com.phishnet.store.scans.ScanBatchRequests.BatchResult;
import com.phishnet.store.scans.ScanBatchRequests.Counts;
import com.phishnet.store.scans.ScanBatchRequests.ItemResult;
import com.phishnet.store.scans.ScanBatchRequests.Summary;
import com.phishnet.store.scans.ScanRequests.ScanView;
import com.phishnet.store.scans.ScanService.Ingested;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** Bulk ingestion's ordering and bounds over a scripted scan service, in virtual time. */
class ScanBatchesTest {

    private static final Caller SCANNER = new Caller("scanner-1", "acme", Set.<Role>of(), Set.of("scans:write"),
            "127.0.0.1", "t", "r-1");
    private static final ScanBatches.Context CONTEXT = new ScanBatches.Context(SCANNER, "/api/v1/scans:batch", "r-1");

    private final ScanService scans = mock(ScanService.class);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private ScanBatches batches;

    @BeforeEach
    void batchesOfEightInFlight() {
        batches = new ScanBatches(scans, new ScanMetrics(meters), properties(8, 5));
    }

    @Test
    void resultsKeepInputOrderWhateverOrderItemsCompleteIn() {
        // Earlier items take longer: they complete last but are answered first.
        script(key -> Mono.delay(Duration.ofMillis(100 - Long.parseLong(key.substring(1)) * 10))
                .map(ignored -> new Ingested(view("s-" + key), key.equals("k3"))));
        List<Entry> entries = IntStream.range(0, 6).<Entry>mapToObj(index -> ready(index, "k" + index)).toList();

        StepVerifier.withVirtualTime(() -> batches.ingest(CONTEXT, entries))
                .thenAwait(Duration.ofSeconds(1))
                .assertNext(result -> {
                    assertThat(result.results()).extracting(ItemResult::index).containsExactly(0, 1, 2, 3, 4, 5);
                    assertThat(result.results()).extracting(ItemResult::status).containsExactly("created", "created",
                            "created", "duplicate", "created", "created");
                    assertThat(result.results()).extracting(ItemResult::scanId).containsExactly("s-k0", "s-k1",
                            "s-k2", "s-k3", "s-k4", "s-k5");
                    assertThat(result.counts()).isEqualTo(new Counts(5, 1, 0, 0, 0));
                })
                .verifyComplete();
    }

    @Test
    void itemsSharingAKeyRunOneAfterAnotherInInputOrder() {
        // A fake store that fails any two ingestions of one key overlapping in time (the race the batch must avoid),
        // and otherwise answers the first of a key created and the later ones duplicate.
        Map<String, String> stored = new ConcurrentHashMap<>();
        Set<String> running = ConcurrentHashMap.newKeySet();
        List<String> order = new ArrayList<>();
        script(key -> Mono.defer(() -> {
            if (!running.add(key)) {
                return Mono.error(new IllegalStateException("two ingestions of " + key + " at once"));
            }
            return Mono.delay(Duration.ofMillis(50)).map(ignored -> {
                running.remove(key);
                synchronized (order) {
                    order.add(key);
                }
                boolean first = stored.putIfAbsent(key, "s-" + key) == null;
                return new Ingested(view(stored.get(key)), !first);
            });
        }));
        List<Entry> entries = List.of(ready(0, "same"), ready(1, "other"), ready(2, "same"), ready(3, "same"));

        StepVerifier.withVirtualTime(() -> batches.ingest(CONTEXT, entries))
                .thenAwait(Duration.ofSeconds(1))
                .assertNext(result -> assertThat(result.results()).extracting(ItemResult::status)
                        .containsExactly("created", "created", "duplicate", "duplicate"))
                .verifyComplete();
        assertThat(order).containsExactly("same", "other", "same", "same");
    }

    @Test
    void noMoreThanTheConfiguredItemsAreInFlightAtOnce() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        script(key -> Mono.delay(Duration.ofMillis(10))
                .doOnSubscribe(started -> most.accumulateAndGet(inFlight.incrementAndGet(), Math::max))
                .doOnTerminate(inFlight::decrementAndGet)
                .map(ignored -> new Ingested(view("s-" + key), false)));
        List<Entry> entries = IntStream.range(0, 100).<Entry>mapToObj(index -> ready(index, "k" + index)).toList();

        StepVerifier.withVirtualTime(() -> batches.ingest(CONTEXT, entries))
                .thenAwait(Duration.ofSeconds(5))
                .assertNext(result -> assertThat(result.counts().created()).isEqualTo(100))
                .verifyComplete();
        assertThat(most.get()).isEqualTo(8);
    }

    @Test
    void eachFailureBecomesThatItemsResultWithTheSingleRoutesProblem() {
        script(key -> switch (key) {
            case "conflict" -> Mono.error(new ApiException.Conflict("The Idempotency-Key was already used for a"
                    + " different request."));
            case "future" -> Mono.error(new ApiException.InvalidField("result.scannedAt", "must not be in the future"));
            case "no-user" -> Mono.error(new ApiException.NotFound("No user u-9."));
            case "down" -> Mono.error(new MongoTimeoutException("Timed out waiting for a server"));
            case "empty" -> Mono.empty();
            default -> Mono.just(new Ingested(view("s-" + key), false));
        });
        List<Entry> entries = List.of(ready(0, "conflict"), ready(1, "future"), ready(2, "no-user"), ready(3, "down"),
                ready(4, "empty"), ready(5, "fine"), new Rejected(6, null, Map.of("status", 400)));

        BatchResult result = batches.ingest(CONTEXT, entries).block(Duration.ofSeconds(5));

        assertThat(result.results()).extracting(ItemResult::status).containsExactly("conflict", "invalid", "invalid",
                "failed", "failed", "created", "invalid");
        assertThat(result.results().get(0).problem()).containsEntry("status", 409)
                .containsEntry("type", "urn:phishnet:problem:conflict").containsEntry("requestId", "r-1")
                .containsEntry("instance", "/api/v1/scans:batch");
        assertThat(result.results().get(1).problem()).containsEntry("status", 400)
                .containsEntry("errors", List.of(Map.of("field", "result.scannedAt", "message", "must not be in the future")));
        assertThat(result.results().get(2).problem()).containsEntry("status", 404);
        assertThat(result.results().get(3).problem()).containsEntry("status", 503)
                .containsEntry("detail", ScanBatches.STORE_UNAVAILABLE);
        assertThat(result.results().get(3).problem().toString()).doesNotContain("Timed out");
        assertThat(result.counts()).isEqualTo(new Counts(1, 0, 3, 1, 2));
        assertThat(meters.get(ScanMetrics.BATCH_ITEMS).tag("status", "failed").counter().count()).isEqualTo(2);
        assertThat(meters.get(ScanMetrics.BATCH_ITEMS).tag("status", "invalid").counter().count()).isEqualTo(3);
        assertThat(meters.get(ScanMetrics.BATCHES).tag("format", "json").counter().count()).isEqualTo(1);
    }

    @Test
    void afterTooManyStoreFailuresInARowTheRestAreNotTriedEvenThoseAlreadyQueuedForTheTenant() {
        // Eight in flight, all queued behind one another in the tenant's turn (the real Transactions): the gate is
        // asked when each one's turn comes, so exactly five reach the store. Items refused before the store (a time
        // check) neither count nor reset the run.
        TransactionalOperator operator = mock(TransactionalOperator.class);
        given(operator.transactional(any(Mono.class))).willAnswer(call -> call.getArgument(0));
        Transactions transactions = new Transactions(operator);
        AtomicInteger tried = new AtomicInteger();
        given(scans.ingest(any(), any(), anyString(), any())).willAnswer(call -> {
            String key = call.getArgument(2);
            if (key.startsWith("future")) {
                return Mono.error(new ApiException.InvalidField("result.scannedAt", "must not be in the future"));
            }
            return transactions.runIdempotent("acme", () -> Mono.delay(Duration.ofMillis(5))
                    .then(Mono.<Ingested>error(() -> {
                        tried.incrementAndGet();
                        return new MongoTimeoutException("Timed out after 300 ms while waiting for a server");
                    })), call.getArgument(3));
        });
        List<Entry> entries = IntStream.range(0, 30).<Entry>mapToObj(index -> ready(index,
                index % 4 == 1 ? "future" + index : "k" + index)).toList();

        BatchResult result = batches.ingest(CONTEXT, entries).block(Duration.ofSeconds(10));

        assertThat(tried).hasValue(5);
        assertThat(result.results()).hasSize(30);
        // The time-checked items among the first eight were answered invalid; once stopped, nothing more is tried.
        assertThat(result.results().get(1).status()).isEqualTo("invalid");
        assertThat(result.results().get(5).status()).isEqualTo("invalid");
        assertThat(result.results()).filteredOn(item -> item.index() % 4 != 1).allMatch(item -> item.status().equals("failed"));
        long invalid = result.results().stream().filter(item -> item.status().equals("invalid")).count();
        assertThat(result.results().stream().filter(item -> ScanBatches.NOT_ATTEMPTED.equals(item.problem().get("detail"))))
                .hasSize((int) (30 - 5 - invalid));
    }

    @Test
    void aKeylessItemThatFailedIsNotToldToResendWithItsKey() {
        given(scans.ingest(any(), any(), isNull(), any())).willReturn(Mono.error(new MongoSocketException("reset",
                new ServerAddress())));

        BatchResult result = batches.ingest(CONTEXT, List.of(new Ready(0, null, null, null))).block(Duration.ofSeconds(5));

        assertThat(result.results().get(0).status()).isEqualTo("failed");
        assertThat(result.results().get(0).problem()).containsEntry("status", 503)
                .containsEntry("detail", ScanBatches.STORE_UNAVAILABLE_WITHOUT_KEY);
    }

    @Test
    void aFaultThatIsNotTheStoresIsTheSingleRoutes500() {
        script(key -> Mono.error(new IllegalStateException("a bug")));

        BatchResult result = batches.ingest(CONTEXT, List.of(ready(0, "k0"))).block(Duration.ofSeconds(5));

        assertThat(result.results().get(0).status()).isEqualTo("failed");
        assertThat(result.results().get(0).problem()).containsEntry("status", 500)
                .containsEntry("type", "urn:phishnet:problem:internal");
    }

    @Test
    void ndjsonItemsAreProcessedWhileTheClientReadsNoResultYet() {
        AtomicInteger done = new AtomicInteger();
        script(key -> Mono.fromSupplier(() -> {
            done.incrementAndGet();
            return new Ingested(view("s-" + key), false);
        }));
        AtomicInteger read = new AtomicInteger();
        Flux<Entry> entries = Flux.range(0, 500).<Entry>map(index -> ready(index, "k" + index))
                .doOnNext(ignored -> read.incrementAndGet());

        StepVerifier.create(batches.stream(CONTEXT, entries), 0)
                .expectSubscription()
                .then(() -> {
                    // Nothing requested downstream, yet the whole body is read and every item processed.
                    assertThat(read).hasValue(500);
                    assertThat(done).hasValue(500);
                })
                .thenRequest(Long.MAX_VALUE)
                .expectNextCount(500)
                .assertNext(line -> assertThat(((Summary) line).complete()).isTrue())
                .verifyComplete();
    }

    @Test
    void ndjsonItemsAreChargedInGrowingChunksAndARefusalStopsTheReading() {
        List<Integer> charges = new ArrayList<>();
        batches = new ScanBatches(scans, new ScanMetrics(meters), properties(8, 5), items -> Mono.defer(() -> {
            int charged = charges.stream().mapToInt(Integer::intValue).sum();
            if (charged + items > 10) {
                return Mono.error(new ApiException.TooManyRequests("Rate limit of the 'ingest' routes reached; retry"
                        + " after 7s.", 7));
            }
            charges.add(items);
            return Mono.empty();
        }));
        script(key -> Mono.just(new Ingested(view("s-" + key), false)));
        AtomicInteger read = new AtomicInteger();
        Flux<Entry> entries = Flux.range(0, 100).<Entry>map(index -> ready(index, "k" + index))
                .doOnNext(ignored -> read.incrementAndGet());

        List<Object> lines = batches.stream(CONTEXT, entries).collectList().block(Duration.ofSeconds(5));

        assertThat(charges).containsExactly(1, 2, 4);
        assertThat(lines).hasSize(8);
        Summary summary = (Summary) lines.get(7);
        assertThat(summary.complete()).isFalse();
        assertThat(summary.items()).isEqualTo(7);
        assertThat(summary.problem()).containsEntry("status", 429).containsEntry("retryAfterSeconds", 7L);
        assertThat((String) summary.problem().get("detail")).contains("from index 7");
        // The item whose chunk was refused was the last one read.
        assertThat(read).hasValue(8);
        verify(scans, times(7)).ingest(any(), any(), anyString(), any());
    }

    @Test
    void aJsonBatchOverTheBudgetIsRefusedWholeAndNothingIsTried() {
        batches = new ScanBatches(scans, new ScanMetrics(meters), properties(8, 5), items -> Mono.error(
                new ApiException.TooManyRequests("Rate limit of the 'ingest' routes reached; retry after 3s.", 3)));
        List<Entry> entries = IntStream.range(0, 3).<Entry>mapToObj(index -> ready(index, "k" + index)).toList();

        StepVerifier.create(batches.ingest(CONTEXT, entries))
                .expectError(ApiException.TooManyRequests.class)
                .verify(Duration.ofSeconds(5));
        StepVerifier.create(batches.stream(CONTEXT, Flux.fromIterable(entries)))
                .expectError(ApiException.TooManyRequests.class)
                .verify(Duration.ofSeconds(5));
        verify(scans, times(0)).ingest(any(), any(), any(), any());
    }

    @Test
    void anEmptyNdjsonBodyIsTheWholeRequests400() {
        StepVerifier.create(batches.stream(CONTEXT, Flux.empty()))
                .expectErrorSatisfies(failure -> assertThat(failure).isInstanceOf(ApiException.InvalidField.class))
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void anItemInFlightWhenTheClientLeavesRunsToItsEndAndNoFurtherItemStarts() {
        batches = new ScanBatches(scans, new ScanMetrics(meters), properties(1, 5));
        Sinks.One<Ingested> commit = Sinks.one();
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicBoolean started = new AtomicBoolean();
        script(key -> key.equals("k0") ? commit.asMono().doOnSubscribe(ignored -> started.set(true))
                .doOnCancel(() -> cancelled.set(true))
                : Mono.just(new Ingested(view("s-" + key), false)));
        List<Entry> entries = IntStream.range(0, 3).<Entry>mapToObj(index -> ready(index, "k" + index)).toList();

        StepVerifier.create(batches.stream(CONTEXT, Flux.fromIterable(entries)), 0)
                .expectSubscription()
                .thenRequest(1)
                .then(() -> assertThat(started).as("the first item is in its transaction").isTrue())
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        commit.tryEmitValue(new Ingested(view("s-k0"), false));

        assertThat(cancelled).isFalse();
        verify(scans, times(1)).ingest(any(), any(), anyString(), any());
        // The item that committed is counted although nobody read its result.
        assertThat(meters.get(ScanMetrics.BATCH_ITEMS).tag("status", "created").counter().count()).isEqualTo(1);
    }

    @Test
    void anItemWithoutAKeyIsIngestedWithoutOne() {
        given(scans.ingest(any(), any(), isNull(), any())).willReturn(Mono.just(new Ingested(view("s-1"), false)));

        BatchResult result = batches.ingest(CONTEXT, List.of(new Ready(0, null, null, null))).block(Duration.ofSeconds(5));

        assertThat(result.results()).extracting(ItemResult::status).containsExactly("created");
    }

    @Test
    void theNdjsonStreamEndsWithASummaryThatSaysWhenTheInputWasCutOff() {
        script(key -> Mono.just(new Ingested(view("s-" + key), false)));
        Flux<Entry> entries = Flux.just(ready(0, "k0"), new Rejected(1, 2L, Map.of("status", 400)), ready(2, "k2"),
                new Overflow(3));

        StepVerifier.create(batches.stream(CONTEXT, entries))
                .assertNext(line -> assertThat(((ItemResult) line).status()).isEqualTo("created"))
                .assertNext(line -> assertThat(line).isEqualTo(new ItemResult(1, 2L, "invalid", null, Map.of("status", 400))))
                .assertNext(line -> assertThat(((ItemResult) line).index()).isEqualTo(2))
                .assertNext(line -> {
                    Summary summary = (Summary) line;
                    assertThat(summary.counts()).isEqualTo(new Counts(2, 0, 1, 0, 0));
                    assertThat(summary.items()).isEqualTo(3);
                    assertThat(summary.complete()).isFalse();
                    assertThat(summary.problem()).containsEntry("status", 413);
                })
                .verifyComplete();
    }

    @Test
    void aCompleteNdjsonStreamSaysSo() {
        script(key -> Mono.just(new Ingested(view("s-" + key), false)));

        StepVerifier.create(batches.stream(CONTEXT, Flux.just(ready(0, "k0"))))
                .expectNextCount(1)
                .assertNext(line -> assertThat(line).isEqualTo(new Summary(new Counts(1, 0, 0, 0, 0), 1, true, null)))
                .verifyComplete();
    }

    private void script(Function<String, Mono<Ingested>> byKey) {
        given(scans.ingest(any(), any(), anyString(), any())).willAnswer(call -> byKey.apply(call.getArgument(2)));
    }

    private static Ready ready(int index, String key) {
        return new Ready(index, null, key, null);
    }

    static ScanBatchProperties properties(int concurrency, int maxConsecutiveFailures) {
        return new ScanBatchProperties(concurrency, 1000, DataSize.ofMegabytes(16), 100_000, DataSize.ofMegabytes(1),
                maxConsecutiveFailures);
    }

    private static ScanView view(String id) {
        return new ScanView(id, "u-1", "e-1", "eve@evil.example", Verdict.CLEAN, Verdict.CLEAN, 0.1, List.of(), "m-1",
                Map.of(), Instant.parse("2026-01-01T00:00:00Z"), null);
    }
}
