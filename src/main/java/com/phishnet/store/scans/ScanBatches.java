package com.phishnet.store.scans;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import com.mongodb.MongoException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.phishnet.store.platform.mongo.KeyedSequencer;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.CallerBudget;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.platform.web.ProblemDetailsHandler;
import com.phishnet.store.platform.web.ProblemType;
import com.phishnet.store.scans.ScanBatchReader.Entry;
import com.phishnet.store.scans.ScanBatchReader.Overflow;
import com.phishnet.store.scans.ScanBatchReader.Ready;
import com.phishnet.store.scans.ScanBatchReader.Rejected;
import com.phishnet.store.scans.ScanBatchRequests.BatchResult;
import com.phishnet.store.scans.ScanBatchRequests.Counts;
import com.phishnet.store.scans.ScanBatchRequests.ItemResult;
import com.phishnet.store.scans.ScanBatchRequests.Summary;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Bulk ingestion: every item goes through {@link ScanService#ingest} exactly as one {@code POST /api/v1/scans}
 * would (its own transaction, its own idempotency key, the same metrics, cache eviction and stream events), and
 * gets a result of its own, in input order. What this adds is only the order and the bounds:
 * <ul>
 * <li>at most {@code concurrency} items of a request in flight ({@code flatMapSequential}): the body is read no
 * faster than items complete (but whether or not the client reads NDJSON results yet: those are buffered), and
 * results leave in input order;</li>
 * <li>items are charged to the caller's {@value #RATE_LIMIT_GROUP} rate-limit budget, the single route's;</li>
 * <li>items sharing an idempotency key run one after another in input order (a {@link KeyedSequencer} per
 * request), so the second is deterministically a duplicate (same scan) or a conflict (another scan), never a race
 * of two transactions on the unique key;</li>
 * <li>an item once started runs to its end even when the client goes away: its transaction commits or aborts as a
 * whole, and its counters and metrics with it; items not started by then never start;</li>
 * <li>after {@code max-consecutive-failures} store attempts in a row failed for want of the store, the rest are
 * reported {@code failed} without being tried ({@link StoreGate}): every item is still listed.</li>
 * </ul>
 * A failure of one item never fails the request: nothing is dropped silently. A component over the scan service
 * rather than a service of its own: it starts no transaction and owns no rule beyond ordering and bounds.
 */
@Component
public class ScanBatches {

    private static final Logger log = LoggerFactory.getLogger(ScanBatches.class);

    static final String STORE_UNAVAILABLE = "The scan could not be stored now: the database did not answer, or the"
            + " transaction could not commit within the service's retries. Send the item again with the same"
            + " idempotency key: it is then stored once, or reported duplicate if this attempt did commit.";
    /** The same for an item without an idempotency key, which cannot be resent safely. */
    static final String STORE_UNAVAILABLE_WITHOUT_KEY = "The scan could not be stored now: the database did not answer,"
            + " or the transaction could not commit within the service's retries. It may have been stored all the same:"
            + " the item has no idempotencyKey, so sending it again may store it twice. Resend it only with an"
            + " idempotency key to be safe; batch items should always carry one.";
    static final String NOT_ATTEMPTED = "Not tried: the items before it failed for want of the database. Nothing of it"
            + " was stored; send it again.";

    /** The rate-limit group whose per-caller budget batch items are charged to: the single route's. */
    public static final String RATE_LIMIT_GROUP = "ingest";

    private final ScanService scans;
    private final ScanMetrics metrics;
    private final ScanBatchProperties properties;
    private final Budget budget;

    /** Charges items to the caller's budget; a refusal is an {@link ApiException.TooManyRequests}. */
    @FunctionalInterface
    public interface Budget {

        Budget UNLIMITED = items -> Mono.empty();

        Mono<Void> charge(int items);
    }

    @Autowired
    public ScanBatches(ScanService scans, ScanMetrics metrics, ScanBatchProperties properties, CallerBudget callers) {
        this(scans, metrics, properties, items -> callers.charge(RATE_LIMIT_GROUP, items));
    }

    /** Without a budget; for tests. */
    ScanBatches(ScanService scans, ScanMetrics metrics, ScanBatchProperties properties) {
        this(scans, metrics, properties, Budget.UNLIMITED);
    }

    ScanBatches(ScanService scans, ScanMetrics metrics, ScanBatchProperties properties, Budget budget) {
        this.scans = scans;
        this.metrics = metrics;
        this.properties = properties;
        this.budget = budget;
    }

    /** Who sent the batch, and what its per-item problems carry (the route as instance, the request id). */
    public record Context(Caller caller, String instance, String requestId) {

        /** The problem the single route would answer for this failure, as a JSON object. */
        Map<String, Object> problem(Throwable failure) {
            return toMap(ProblemDetailsHandler.problemOf(failure, instance, requestId));
        }

        /** A validation problem listing every invalid field, as the single route's 400 does. */
        Map<String, Object> validation(List<Map<String, String>> errors) {
            ProblemDetail body = ProblemDetail.forStatus(400);
            body.setType(ProblemType.VALIDATION.uri());
            body.setTitle(ProblemType.VALIDATION.title());
            body.setDetail(errors.size() == 1 ? "1 field is invalid." : errors.size() + " fields are invalid.");
            body.setInstance(java.net.URI.create(instance));
            body.setProperty("requestId", requestId);
            body.setProperty("errors", errors);
            return toMap(body);
        }

        static Map<String, Object> toMap(ProblemDetail problem) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("type", String.valueOf(problem.getType()));
            map.put("title", problem.getTitle());
            map.put("status", problem.getStatus());
            map.put("detail", problem.getDetail());
            if (problem.getInstance() != null) {
                map.put("instance", problem.getInstance().toString());
            }
            if (problem.getProperties() != null) {
                map.putAll(problem.getProperties());
            }
            return map;
        }
    }

    /** A JSON batch: every item's result in input order, and the counts. Its items are charged up front. */
    public Mono<BatchResult> ingest(Context context, List<Entry> entries) {
        return Mono.defer(() -> {
            metrics.batch(ScanMetrics.FORMAT_JSON);
            Tally tally = new Tally();
            return budget.charge(entries.size())
                    .then(Mono.defer(() -> results(context, Flux.fromIterable(entries))
                            .doOnNext(tally::add)
                            .collectList()
                            .map(results -> new BatchResult(results, tally.counts()))));
        });
    }

    /**
     * An NDJSON batch: one result per item as it completes, in input order, then the {@link Summary}. The entries
     * are read as items complete (at most {@code concurrency} ahead), whether or not the client reads the results
     * yet: those wait in a buffer of at most {@code ndjson-max-items} lines, so a client that sends the whole body
     * before reading never deadlocks with the server. Items are charged to the caller's ingestion budget in chunks
     * as they are read; a refused chunk stops the reading there.
     */
    Flux<Object> stream(Context context, Flux<Entry> entries) {
        return stream(context, entries, Mono.empty());
    }

    /**
     * As {@link #stream(Context, Flux)}, and the response ends only once {@code rest} completes: the part of the body
     * the entries did not use is read and discarded ({@link ScanBatchReader.Body}), so that the connection is not closed
     * with unread data, a reset that can cost the client the answer. The summary line (or the whole request's problem,
     * when nothing was answered) is emitted first: it waits in the buffer with the results.
     */
    public Flux<Object> stream(Context context, Flux<Entry> entries, Mono<Void> rest) {
        return Flux.defer(() -> {
            metrics.batch(ScanMetrics.FORMAT_NDJSON);
            Tally tally = new Tally();
            AtomicReference<ApiException> stoppedBy = new AtomicReference<>();
            Chunks chunks = new Chunks(properties.ndjsonMaxItems());
            Flux<Entry> items = entries
                    .concatMap(entry -> {
                        if (entry instanceof Overflow overflow) {
                            stoppedBy.set(new ApiException.TooLarge("The body holds more than "
                                    + properties.ndjsonMaxItems() + " lines: the ones after item " + (overflow.index() - 1)
                                    + " were not read. Send them in another request."));
                            return Mono.just(Optional.<Entry>empty());
                        }
                        int cost = chunks.due(entry.index());
                        if (cost == 0) {
                            return Mono.just(Optional.of(entry));
                        }
                        return budget.charge(cost).thenReturn(Optional.of(entry))
                                .onErrorResume(ApiException.TooManyRequests.class, refused -> {
                                    stoppedBy.set(new ApiException.TooManyRequests(refused.getMessage() + " The items"
                                            + " from index " + entry.index() + " on were not read: send them again"
                                            + " then.", refused.retryAfterSeconds()));
                                    return Mono.just(Optional.empty());
                                });
                    }, 0)
                    .takeWhile(Optional::isPresent)
                    .map(Optional::get);
            return results(context, items)
                    .doOnNext(tally::add)
                    .cast(Object.class)
                    .concatWith(Mono.defer(() -> summary(context, tally.counts(), stoppedBy.get()))
                            .onErrorResume(failure -> rest.then(Mono.error(failure))))
                    .concatWith(rest.cast(Object.class))
                    // Decouples the writing of results from their processing: the body goes on being read while the
                    // client is not reading the response yet. Never more than ndjson-max-items results and a summary.
                    .onBackpressureBuffer(properties.ndjsonMaxItems() + 1);
        });
    }

    private Mono<Object> summary(Context context, Counts counts, ApiException stoppedBy) {
        if (counts.total() == 0) {
            // Nothing answered yet, so the response is not committed: the whole request's problem, as for JSON.
            return Mono.error(stoppedBy != null ? stoppedBy : new ApiException.InvalidField("items",
                    "must hold at least 1 item"));
        }
        if (stoppedBy == null) {
            return Mono.just(new Summary(counts, counts.total(), true, null));
        }
        return Mono.just(new Summary(counts, counts.total(), false, context.problem(stoppedBy)));
    }

    /**
     * The chunks an NDJSON body's items are charged in, paid before the chunk's first item is processed: 1, 2, 4, ...
     * 64 items, then {@value #MAX_CHUNK} at a time, so a small request is charged about what it holds and a large one
     * one budget call per {@value #MAX_CHUNK} items. What a chunk pays for and the body does not hold is lost: less
     * than the items read, and less than {@value #MAX_CHUNK}.
     */
    static final class Chunks {

        static final int MAX_CHUNK = 100;

        private final int maxItems;
        private int next;
        private int size = 1;

        Chunks(int maxItems) {
            this.maxItems = maxItems;
        }

        /** What to charge when item {@code index} is read: 0 when its chunk is paid. */
        int due(int index) {
            if (index < next) {
                return 0;
            }
            int cost = Math.max(1, Math.min(size, maxItems - index));
            next = index + cost;
            size = Math.min(size * 2, MAX_CHUNK);
            return cost;
        }
    }

    private Flux<ItemResult> results(Context context, Flux<Entry> entries) {
        KeyedSequencer sameKey = new KeyedSequencer();
        StoreGate gate = new StoreGate(properties.maxConsecutiveFailures());
        return entries.flatMapSequential(entry -> {
            if (entry instanceof Rejected rejected) {
                return Mono.fromSupplier(() -> counted(new ItemResult(rejected.index(), rejected.line(),
                        ScanBatchRequests.INVALID, null, rejected.problem())));
            }
            if (entry instanceof Ready ready) {
                return ready.key() == null ? attempt(context, ready, gate)
                        : sameKey.run(ready.key(), () -> attempt(context, ready, gate));
            }
            return Mono.<ItemResult>empty();
        }, properties.concurrency(), 1);
    }

    /** One item through the single-scan path, shielded from cancellation once started. */
    private Mono<ItemResult> attempt(Context context, Ready ready, StoreGate gate) {
        return Mono.defer(() -> {
            if (gate.closed()) {
                return Mono.just(counted(outcomeOf(context, ready, NotAttempted.INSTANCE)));
            }
            return runToTheEnd(scans.ingest(context.caller(), ready.scan(), ready.key(), gate)
                    .map(ingested -> result(ready, ingested.replayed() ? ScanBatchRequests.DUPLICATE
                            : ScanBatchRequests.CREATED, ingested.scan().id(), null))
                    .switchIfEmpty(Mono.fromSupplier(() -> outcomeOf(context, ready,
                            new IllegalStateException("the ingestion completed without a result"))))
                    .onErrorResume(failure -> Mono.just(outcomeOf(context, ready, failure)))
                    .doOnNext(this::counted));
        });
    }

    /**
     * Subscribes the work once and lets it finish when the subscriber cancels (a client that disconnects): an
     * ingestion cut off between its commit and its post-commit steps would leave the metrics and the statistics
     * cache behind the database. Its outcome is then dropped, never half-applied. The Reactor context travels.
     */
    static <T> Mono<T> runToTheEnd(Mono<T> work) {
        return Mono.deferContextual(context -> Mono.fromFuture(work.contextWrite(context).toFuture(), true));
    }

    /**
     * An item's result for a failure. The store's unavailability is a 503 {@code failed} (its own detail for an item
     * without a key, which may have been stored); any other failure is the single route's problem
     * ({@link ProblemDetailsHandler#problemOf}), its status deciding: 409 {@code conflict}; 5xx, 408 and 429
     * {@code failed} (worth sending again); any other 4xx {@code invalid}.
     */
    private ItemResult outcomeOf(Context context, Ready ready, Throwable failure) {
        if (failure instanceof NotAttempted) {
            return result(ready, ScanBatchRequests.FAILED, null,
                    context.problem(new ApiException.Unavailable(NOT_ATTEMPTED, 1)));
        }
        if (storeUnavailable(failure)) {
            log.warn("request {}: item {} of a scan batch could not be stored: {}", context.requestId(), ready.index(),
                    failure.toString());
            return result(ready, ScanBatchRequests.FAILED, null, context.problem(new ApiException.Unavailable(
                    ready.key() != null ? STORE_UNAVAILABLE : STORE_UNAVAILABLE_WITHOUT_KEY, 1)));
        }
        Map<String, Object> problem = context.problem(failure);
        int status = ((Number) problem.get("status")).intValue();
        if (status >= 500) {
            log.error("request {}: item {} of a scan batch failed", context.requestId(), ready.index(), failure);
        }
        String outcome = status == 409 ? ScanBatchRequests.CONFLICT
                : status >= 400 && status < 500 && status != 408 && status != 429 ? ScanBatchRequests.INVALID
                : ScanBatchRequests.FAILED;
        return result(ready, outcome, null, problem);
    }

    /**
     * Whether the failure says the store could not be reached or could not commit: a server-selection or socket
     * failure, a transaction still transient or of unknown outcome after the service's retries, or the service's own
     * 503. Only these count towards {@code max-consecutive-failures}.
     */
    static boolean storeUnavailable(Throwable failure) {
        // A bounded walk: a cause chain with a cycle longer than one link would otherwise never end.
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth++ < 16; cause = cause.getCause()) {
            if (cause instanceof MongoTimeoutException || cause instanceof MongoSocketException
                    || cause instanceof MongoNotPrimaryException || cause instanceof MongoNodeIsRecoveringException
                    || cause instanceof ApiException.Unavailable
                    || cause instanceof MongoException mongo
                            && (mongo.hasErrorLabel(MongoException.TRANSIENT_TRANSACTION_ERROR_LABEL)
                            || mongo.hasErrorLabel(MongoException.UNKNOWN_TRANSACTION_COMMIT_RESULT_LABEL))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Stops trying items once {@code max-consecutive-failures} store attempts in a row failed for want of the store.
     * Asked when an item's transaction gets its turn in the tenant's queue, and told how it ended before the next one
     * starts, so items already queued behind the failures are not tried either. Only a stored (or replayed) item
     * resets the count; an item refused before the store (validation, time checks) leaves it as it is.
     */
    static final class StoreGate implements Transactions.Gate {

        private final int max;
        private final AtomicInteger failuresInARow = new AtomicInteger();

        StoreGate(int max) {
            this.max = max;
        }

        boolean closed() {
            return failuresInARow.get() >= max;
        }

        @Override
        public void admit() {
            if (closed()) {
                throw NotAttempted.INSTANCE;
            }
        }

        @Override
        public void ended(Throwable failure) {
            if (failure == null) {
                failuresInARow.set(0);
            }
            else if (storeUnavailable(failure)) {
                failuresInARow.incrementAndGet();
            }
        }
    }

    /** An item the gate did not let through: nothing of it was tried. */
    static final class NotAttempted extends RuntimeException {

        static final NotAttempted INSTANCE = new NotAttempted();

        private NotAttempted() {
            super("not attempted: the store failed too often in a row", null, false, false);
        }
    }

    private static ItemResult result(Ready ready, String status, String scanId, Map<String, Object> problem) {
        return new ItemResult(ready.index(), ready.line(), status, scanId, problem);
    }

    private ItemResult counted(ItemResult result) {
        metrics.batchItem(result.status());
        return result;
    }

    /** Results by status, as they leave. */
    static final class Tally {

        private final AtomicLongArray counts = new AtomicLongArray(ScanBatchRequests.STATUSES.size());

        void add(ItemResult result) {
            counts.incrementAndGet(ScanBatchRequests.STATUSES.indexOf(result.status()));
        }

        Counts counts() {
            return new Counts(counts.get(0), counts.get(1), counts.get(2), counts.get(3), counts.get(4));
        }
    }
}
