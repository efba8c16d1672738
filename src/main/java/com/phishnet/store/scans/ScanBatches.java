package com.phishnet.store.scans;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import com.phishnet.store.platform.mongo.KeyedSequencer;
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
 * faster than items complete, and results leave in input order;</li>
 * <li>items sharing an idempotency key run one after another in input order (a {@link KeyedSequencer} per
 * request), so the second is deterministically a duplicate (same scan) or a conflict (another scan), never a race
 * of two transactions on the unique key;</li>
 * <li>an item once started runs to its end even when the client goes away: its transaction commits or aborts as a
 * whole, and its counters and metrics with it; items not started by then never start;</li>
 * <li>after {@code max-consecutive-failures} items in a row failed for want of the store, the rest are reported
 * {@code failed} without being tried: every item is still listed.</li>
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
    static final String NOT_ATTEMPTED = "Not tried: the items before it failed for want of the database. Nothing of it"
            + " was stored; send it again.";

    private final ScanService scans;
    private final ScanMetrics metrics;
    private final ScanBatchProperties properties;

    public ScanBatches(ScanService scans, ScanMetrics metrics, ScanBatchProperties properties) {
        this.scans = scans;
        this.metrics = metrics;
        this.properties = properties;
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

    /** A JSON batch: every item's result in input order, and the counts. */
    public Mono<BatchResult> ingest(Context context, List<Entry> entries) {
        return Mono.defer(() -> {
            metrics.batch(ScanMetrics.FORMAT_JSON);
            Tally tally = new Tally();
            return results(context, Flux.fromIterable(entries))
                    .doOnNext(tally::add)
                    .collectList()
                    .map(results -> new BatchResult(results, tally.counts()));
        });
    }

    /**
     * An NDJSON batch: one result per item as it completes, in input order, then the {@link Summary}. The entries
     * are read as items complete (at most {@code concurrency} ahead).
     */
    public Flux<Object> stream(Context context, Flux<Entry> entries) {
        return Flux.defer(() -> {
            metrics.batch(ScanMetrics.FORMAT_NDJSON);
            Tally tally = new Tally();
            AtomicBoolean cutOff = new AtomicBoolean();
            Flux<Entry> items = entries.filter(entry -> {
                if (entry instanceof Overflow) {
                    cutOff.set(true);
                    return false;
                }
                return true;
            });
            return results(context, items)
                    .doOnNext(tally::add)
                    .cast(Object.class)
                    .concatWith(Mono.fromSupplier(() -> summary(context, tally.counts(), cutOff.get())));
        });
    }

    private Summary summary(Context context, Counts counts, boolean cutOff) {
        if (!cutOff) {
            return new Summary(counts, counts.total(), true, null);
        }
        return new Summary(counts, counts.total(), false, context.problem(new ApiException.TooLarge("The body holds more"
                + " than " + properties.ndjsonMaxItems() + " items: the ones after item " + (counts.total() - 1)
                + " were not read. Send them in another request.")));
    }

    private Flux<ItemResult> results(Context context, Flux<Entry> entries) {
        KeyedSequencer sameKey = new KeyedSequencer();
        AtomicInteger failuresInARow = new AtomicInteger();
        return entries.flatMapSequential(entry -> {
            if (entry instanceof Rejected rejected) {
                return Mono.fromSupplier(() -> counted(new ItemResult(rejected.index(), rejected.line(),
                        ScanBatchRequests.INVALID, null, rejected.problem())));
            }
            if (entry instanceof Ready ready) {
                return ready.key() == null ? attempt(context, ready, failuresInARow)
                        : sameKey.run(ready.key(), () -> attempt(context, ready, failuresInARow));
            }
            return Mono.<ItemResult>empty();
        }, properties.concurrency(), 1);
    }

    /** One item through the single-scan path, shielded from cancellation once started. */
    private Mono<ItemResult> attempt(Context context, Ready ready, AtomicInteger failuresInARow) {
        return Mono.defer(() -> {
            if (failuresInARow.get() >= properties.maxConsecutiveFailures()) {
                return Mono.just(counted(result(ready, ScanBatchRequests.FAILED, null,
                        context.problem(new ApiException.Unavailable(NOT_ATTEMPTED, 1)))));
            }
            return runToTheEnd(scans.ingest(context.caller(), ready.scan(), ready.key())
                    .map(ingested -> result(ready, ingested.replayed() ? ScanBatchRequests.DUPLICATE
                            : ScanBatchRequests.CREATED, ingested.scan().id(), null))
                    .switchIfEmpty(Mono.fromSupplier(() -> outcomeOf(context, ready,
                            new IllegalStateException("the ingestion completed without a result"))))
                    .onErrorResume(failure -> Mono.just(outcomeOf(context, ready, failure)))
                    .doOnNext(result -> {
                        if (ScanBatchRequests.FAILED.equals(result.status())) {
                            failuresInARow.incrementAndGet();
                        }
                        else {
                            failuresInARow.set(0);
                        }
                        counted(result);
                    }));
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

    private ItemResult outcomeOf(Context context, Ready ready, Throwable failure) {
        if (!(failure instanceof ApiException)) {
            log.error("request {}: item {} of a scan batch could not be stored", context.requestId(), ready.index(),
                    failure);
            return result(ready, ScanBatchRequests.FAILED, null,
                    context.problem(new ApiException.Unavailable(STORE_UNAVAILABLE, 1)));
        }
        Map<String, Object> problem = context.problem(failure);
        int status = ((ApiException) failure).status().value();
        String outcome = status == 409 ? ScanBatchRequests.CONFLICT
                : status >= 400 && status < 500 && status != 408 && status != 429 ? ScanBatchRequests.INVALID
                : ScanBatchRequests.FAILED;
        return result(ready, outcome, null, problem);
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
