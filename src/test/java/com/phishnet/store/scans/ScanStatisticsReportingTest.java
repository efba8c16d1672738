package com.phishnet.store.scans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.ServerAddress;
import com.phishnet.store.audit.AuditEventType;
import com.phishnet.store.audit.AuditService;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.Access;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.platform.web.CursorCodec;
import com.phishnet.store.scans.ScanRequests.FeedbackInput;
import com.phishnet.store.scans.ScanRequests.IngestScan;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bson.BsonDocument;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.reactive.TransactionCallback;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * When ingestion and feedback report to {@link ScanStatistics}, relative to their transaction: the counters
 * change inside it, and {@code committed} follows its commit, once, and never for a replay. The operator logs
 * where each transaction begins, commits and rolls back, in the same log as the statistics calls.
 */
class ScanStatisticsReportingTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final Instant RECEIVED = NOW.minusSeconds(60);

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final ScanRepository repository = mock(ScanRepository.class);
    private final ScanStatistics statistics = mock(ScanStatistics.class);
    private final AuditService audit = mock(AuditService.class);
    private final AtomicInteger ids = new AtomicInteger();
    private final ScanService scans = new ScanService(repository, statistics, new ScanMetrics(new SimpleMeterRegistry()),
            audit, new Transactions(new LoggingOperator()), mock(CursorCodec.class), Clock.fixed(NOW, ZoneOffset.UTC),
            () -> "id-" + ids.incrementAndGet());

    private final Caller scanner = new Caller("scanner-1", "acme", EnumSet.noneOf(Role.class), Set.of(Access.Scope.SCANS_WRITE.value()),
            "203.0.113.9", "", "r-1");
    private final Caller analyst = new Caller("analyst-1", "acme", Set.of(Role.ANALYST), Set.of(), "203.0.113.9", "", "r-2");
    private final IngestScan request = new IngestScan("u-1",
            new ScanRequests.EmailInput("<m@x>", "a@x.example", List.of("b@y.example"), "subject", RECEIVED, 10, Map.of()),
            new ScanRequests.ResultInput(Verdict.MALICIOUS, 0.97, List.of(), "m1", Map.of(), RECEIVED.plusSeconds(1)));
    private final ScanResult stored = new ScanResult("s-1", "acme", "u-1", "e-1", "a@x.example", Verdict.MALICIOUS,
            Verdict.MALICIOUS, 0.97, List.of(), "m1", Map.of(), "key-1", ScanService.requestHash(request),
            RECEIVED.plusSeconds(1), false, RECEIVED);

    @BeforeEach
    void stubs() {
        given(repository.scanByIdempotencyKey("acme", "key-1")).willReturn(Mono.empty());
        given(repository.upsertEmail(any())).willAnswer(call -> Mono.just(call.getArgument(0)));
        given(repository.insertScan(any())).willAnswer(call -> Mono.just(call.getArgument(0)));
        given(repository.email(any(), any())).willReturn(Mono.empty());
        given(repository.scan("acme", "s-1")).willReturn(Mono.just(stored));
        given(repository.feedback("acme", "s-1", "analyst-1")).willReturn(Mono.empty());
        given(repository.upsertFeedback(any())).willAnswer(call -> Mono.just(call.getArgument(0)));
        given(repository.setEffectiveVerdict(eq("acme"), eq("s-1"), any(), eq(Verdict.MALICIOUS), eq(Verdict.CLEAN))).willReturn(Mono.just(stored));
        given(audit.record(any())).willReturn(Mono.empty());
        given(statistics.counted(any(), any(), any(), any())).willReturn(logged("counted"));
        given(statistics.moved(any(), any(), any(), any(), anyBoolean())).willReturn(logged("moved"));
        given(statistics.committed(any(), any())).willReturn(logged("committed"));
    }

    @Test
    void anIngestionCountsInsideItsTransactionAndReportsTheCommitAfterIt() {
        StepVerifier.create(scans.ingest(scanner, request, "key-1"))
                .assertNext(ingested -> assertThat(ingested.replayed()).isFalse())
                .verifyComplete();

        assertThat(log).containsExactly("begin", "counted", "commit", "committed");
        verify(statistics).counted(scanner, "u-1", Verdict.MALICIOUS, RECEIVED.plusSeconds(1));
        verify(statistics).committed(scanner, "u-1");
    }

    @Test
    void anIngestionReRunAfterAWriteConflictReportsOneCommitAfterTheLastRun() {
        // Two first scans of a new tenant race to create its tenant_stats document: the loser's unit re-runs.
        given(statistics.counted(any(), any(), any(), any()))
                .willReturn(logged("counted").then(Mono.error(writeConflict())), logged("counted"));

        StepVerifier.create(scans.ingest(scanner, request, "key-1")).expectNextCount(1).verifyComplete();

        assertThat(log).containsExactly("begin", "counted", "rollback", "begin", "counted", "commit", "committed");
        verify(statistics, times(1)).committed(any(), any());
    }

    @Test
    void anIngestionThatFailsReportsNoCommit() {
        given(statistics.counted(any(), any(), any(), any()))
                .willReturn(logged("counted").then(Mono.error(new ApiException.NotFound("No user u-1."))));

        StepVerifier.create(scans.ingest(scanner, request, "key-1")).expectError(ApiException.NotFound.class).verify();

        assertThat(log).containsExactly("begin", "counted", "rollback");
        verify(statistics, never()).committed(any(), any());
    }

    @Test
    void aReplayedIngestionCountsNothingAndReportsNoCommit() {
        given(repository.scanByIdempotencyKey("acme", "key-1")).willReturn(Mono.just(stored));

        StepVerifier.create(scans.ingest(scanner, request, "key-1"))
                .assertNext(ingested -> assertThat(ingested.replayed()).isTrue())
                .verifyComplete();

        assertThat(log).containsExactly("begin", "commit");
        verify(statistics, never()).counted(any(), any(), any(), any());
        verify(statistics, never()).committed(any(), any());
    }

    @Test
    void anIngestionThatLosesTheRaceForItsKeyIsReplayedWithoutReportingACommit() {
        given(repository.scanByIdempotencyKey("acme", "key-1")).willReturn(Mono.empty(), Mono.just(stored));
        doReturn(Mono.error(new DuplicateKeyException("scan_results_tenant_idempotency"))).when(repository).insertScan(any());

        StepVerifier.create(scans.ingest(scanner, request, "key-1"))
                .assertNext(ingested -> assertThat(ingested.replayed()).isTrue())
                .verifyComplete();

        assertThat(log).containsExactly("begin", "rollback");
        verify(statistics, never()).committed(any(), any());
    }

    @Test
    void feedbackMovesTheCountersInsideItsTransactionAndReportsTheCommitAfterIt() {
        StepVerifier.create(scans.feedback(analyst, "s-1", new FeedbackInput(Verdict.CLEAN, null)))
                .expectNextCount(1).verifyComplete();

        assertThat(log).containsExactly("begin", "moved", "commit", "committed");
        verify(statistics).moved(analyst, "u-1", Verdict.MALICIOUS, Verdict.CLEAN, true);
        verify(statistics).committed(analyst, "u-1");
    }

    @Test
    void feedbackReRunAfterAWriteConflictReportsOneCommitAfterTheLastRun() {
        given(statistics.moved(any(), any(), any(), any(), anyBoolean()))
                .willReturn(logged("moved").then(Mono.error(writeConflict())), logged("moved"));

        StepVerifier.create(scans.feedback(analyst, "s-1", new FeedbackInput(Verdict.CLEAN, null)))
                .expectNextCount(1).verifyComplete();

        assertThat(log).containsExactly("begin", "moved", "rollback", "begin", "moved", "commit", "committed");
        verify(statistics, times(1)).committed(any(), any());
    }

    @Test
    void feedbackThatFailsAfterMovingTheCountersReportsNoCommit() {
        given(audit.record(argThat(event -> event != null && event.type() == AuditEventType.FEEDBACK_RECORDED)))
                .willReturn(Mono.error(new IllegalStateException("audit unavailable")));

        StepVerifier.create(scans.feedback(analyst, "s-1", new FeedbackInput(Verdict.CLEAN, null)))
                .expectErrorMessage("audit unavailable").verify();

        assertThat(log).containsExactly("begin", "moved", "rollback");
        verify(statistics, never()).committed(any(), any());
    }

    private Mono<Void> logged(String event) {
        return Mono.fromRunnable(() -> log.add(event));
    }

    /** What MongoDB answers the loser of two transactions writing one document: transient, so the unit re-runs. */
    private static MongoException writeConflict() {
        MongoCommandException failure = new MongoCommandException(
                BsonDocument.parse("{ok: 0, code: 112, codeName: 'WriteConflict', errmsg: 'write conflict'}"),
                new ServerAddress());
        failure.addLabel(MongoException.TRANSIENT_TRANSACTION_ERROR_LABEL);
        return failure;
    }

    /**
     * Wraps the unit the way Spring's operator does ({@code Mono.usingWhen}: commit on completion, roll back on
     * error), so the unit's result reaches the caller only after the commit; it logs instead of talking to MongoDB.
     */
    private final class LoggingOperator implements TransactionalOperator {

        @Override
        public <T> Flux<T> execute(TransactionCallback<T> action) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> Mono<T> transactional(Mono<T> unit) {
            return Mono.usingWhen(Mono.fromSupplier(() -> log.add("begin")), begun -> unit,
                    begun -> logged("commit"), (begun, failure) -> logged("rollback"), begun -> logged("rollback"));
        }
    }
}
