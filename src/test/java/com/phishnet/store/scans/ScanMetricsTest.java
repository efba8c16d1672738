package com.phishnet.store.scans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.ServerAddress;
import com.phishnet.store.audit.AuditService;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.Access;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.platform.web.CursorCodec;
import com.phishnet.store.scans.ScanRequests.FeedbackInput;
import com.phishnet.store.scans.ScanRequests.IngestScan;
import com.phishnet.store.support.MarkingOperator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bson.BsonDocument;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Scans, threats and feedback are counted once per committed outcome: not per attempt, not for failures or replays. */
class ScanMetricsTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final Instant RECEIVED = NOW.minusSeconds(60);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ScanRepository repository = mock(ScanRepository.class);
    private final ScanStatistics statistics = mock(ScanStatistics.class);
    private final AuditService audit = mock(AuditService.class);
    private final AtomicInteger ids = new AtomicInteger();
    private final ScanService scans = new ScanService(repository, statistics, new ScanMetrics(meters), audit,
            new Transactions(new MarkingOperator()), mock(CursorCodec.class), Clock.fixed(NOW, ZoneOffset.UTC),
            () -> "id-" + ids.incrementAndGet());

    private final Caller scanner = new Caller("scanner-1", "acme", EnumSet.noneOf(Role.class),
            Set.of(Access.Scope.SCANS_WRITE.value()), "203.0.113.9", "", "r-1");
    private final Caller analyst = new Caller("analyst-1", "acme", Set.of(Role.ANALYST), Set.of(), "203.0.113.9", "", "r-2");

    @BeforeEach
    void stubs() {
        given(repository.scanByIdempotencyKey(any(), any())).willReturn(Mono.empty());
        given(repository.upsertEmail(any())).willAnswer(call -> Mono.just(call.getArgument(0)));
        given(repository.insertScan(any())).willAnswer(call -> Mono.just(call.getArgument(0)));
        given(repository.email(any(), any())).willReturn(Mono.empty());
        given(repository.feedback(any(), any(), any())).willReturn(Mono.empty());
        given(repository.upsertFeedback(any())).willAnswer(call -> Mono.just(call.getArgument(0)));
        given(repository.setEffectiveVerdict(any(), any(), any(), any(), any())).willReturn(Mono.just(stored(Verdict.CLEAN)));
        given(audit.record(any())).willReturn(Mono.empty());
        given(statistics.counted(any(), any(), any(), any())).willReturn(Mono.empty());
        given(statistics.moved(any(), any(), any(), any(), anyBoolean())).willReturn(Mono.empty());
        given(statistics.committed(any(), any())).willReturn(Mono.empty());
    }

    @Test
    void everyCounterExistsFromTheStartAtZero() {
        assertThat(meters.get(ScanMetrics.INGESTED).counters()).hasSize(3)
                .allSatisfy(counter -> assertThat(counter.count()).isZero());
        assertThat(meters.get(ScanMetrics.THREATS).counters()).hasSize(4);
        assertThat(meters.get(ScanMetrics.FEEDBACK).counters()).hasSize(9);
    }

    @Test
    void aCallerWithoutScansWriteOrAdminIsRefusedBeforeAnythingIsReadOrCounted() {
        StepVerifier.create(scans.ingest(analyst, request(Verdict.CLEAN), "key-1"))
                .expectError(org.springframework.security.access.AccessDeniedException.class).verify();

        org.mockito.Mockito.verifyNoInteractions(repository, audit);
        assertThat(ingested("clean")).isZero();
    }

    @Test
    void aCommittedScanCountsOnceByVerdict() {
        StepVerifier.create(scans.ingest(scanner, request(Verdict.CLEAN), "key-1")).expectNextCount(1).verifyComplete();

        assertThat(ingested("clean")).isEqualTo(1);
        assertThat(ingested("malicious")).isZero();
        assertThat(meters.get(ScanMetrics.THREATS).counters()).allSatisfy(counter -> assertThat(counter.count()).isZero());
    }

    @Test
    void aMaliciousScanIsAlsoAThreatDetectedByTheScanner() {
        StepVerifier.create(scans.ingest(scanner, request(Verdict.MALICIOUS), "key-1")).expectNextCount(1).verifyComplete();

        assertThat(ingested("malicious")).isEqualTo(1);
        assertThat(threats("malicious", "scan")).isEqualTo(1);
        assertThat(threats("malicious", "feedback")).isZero();
    }

    @Test
    void aScanWhoseTransactionReRanAfterAWriteConflictCountsOnce() {
        given(statistics.counted(any(), any(), any(), any())).willReturn(Mono.error(writeConflict()), Mono.empty());

        StepVerifier.create(scans.ingest(scanner, request(Verdict.SUSPICIOUS), "key-1")).expectNextCount(1).verifyComplete();

        assertThat(ingested("suspicious")).isEqualTo(1);
        assertThat(threats("suspicious", "scan")).isEqualTo(1);
    }

    @Test
    void aFailedIngestionCountsNothing() {
        given(statistics.counted(any(), any(), any(), any())).willReturn(Mono.error(new ApiException.NotFound("No user u-1.")));

        StepVerifier.create(scans.ingest(scanner, request(Verdict.MALICIOUS), "key-1"))
                .expectError(ApiException.NotFound.class).verify();

        assertThat(ingested("malicious")).isZero();
        assertThat(threats("malicious", "scan")).isZero();
    }

    @Test
    void aReplayCountsNothing() {
        IngestScan request = request(Verdict.MALICIOUS);
        given(repository.scanByIdempotencyKey("acme", "key-1")).willReturn(Mono.just(stored(request)));

        StepVerifier.create(scans.ingest(scanner, request, "key-1"))
                .assertNext(ingested -> assertThat(ingested.replayed()).isTrue()).verifyComplete();

        assertThat(ingested("malicious")).isZero();
    }

    @Test
    void aScanThatLostTheRaceForItsKeyCountsNothing() {
        IngestScan request = request(Verdict.MALICIOUS);
        given(repository.scanByIdempotencyKey("acme", "key-1")).willReturn(Mono.empty(), Mono.just(stored(request)));
        doReturn(Mono.error(new DuplicateKeyException("scan_results_tenant_idempotency"))).when(repository).insertScan(any());

        StepVerifier.create(scans.ingest(scanner, request, "key-1")).expectNextCount(1).verifyComplete();

        assertThat(ingested("malicious")).isZero();
    }

    @Test
    void aScanWhoseCommitFailedCountsNothing() {
        ScriptedCommits commits = new ScriptedCommits(new IllegalStateException("commit refused"));

        StepVerifier.create(scansCommittingWith(commits).ingest(scanner, request(Verdict.MALICIOUS), "key-1"))
                .expectErrorMessage("commit refused").verify();

        // The unit ran to its end; only the commit failed: a counter inside the unit would show 1 here.
        assertThat(commits.commits()).isEqualTo(1);
        assertThat(ingested("malicious")).isZero();
        assertThat(threats("malicious", "scan")).isZero();
    }

    @Test
    void aScanWhoseCommitWasReportedUnknownButHadSucceededCountsOnceAndIsNoReplay() {
        AtomicReference<ScanResult> committed = new AtomicReference<>();
        org.mockito.Mockito.doAnswer(call -> {
            committed.set(call.getArgument(0));
            return Mono.just(call.getArgument(0));
        }).when(repository).insertScan(any());
        // The re-run of the unit finds what the first run committed.
        org.mockito.Mockito.doAnswer(call -> Mono.justOrEmpty(committed.get()))
                .when(repository).scanByIdempotencyKey("acme", "key-1");
        MongoException unknown = new MongoException("commit outcome unknown");
        unknown.addLabel(MongoException.UNKNOWN_TRANSACTION_COMMIT_RESULT_LABEL);
        ScriptedCommits commits = new ScriptedCommits(unknown);

        StepVerifier.create(scansCommittingWith(commits).ingest(scanner, request(Verdict.MALICIOUS), "key-1"))
                .assertNext(ingested -> {
                    assertThat(ingested.replayed()).isFalse();
                    assertThat(ingested.scan().id()).isEqualTo(committed.get().id());
                })
                .verifyComplete();

        assertThat(commits.commits()).isEqualTo(2);
        assertThat(ingested("malicious")).isEqualTo(1);
        assertThat(threats("malicious", "scan")).isEqualTo(1);
        then(statistics).should().committed(scanner, "u-1");
    }

    @Test
    void feedbackWhoseCommitFailedCountsNothing() {
        given(repository.scan("acme", "s-1")).willReturn(Mono.just(stored(Verdict.CLEAN)));
        ScriptedCommits commits = new ScriptedCommits(new IllegalStateException("commit refused"));

        StepVerifier.create(scansCommittingWith(commits).feedback(analyst, "s-1", new FeedbackInput(Verdict.MALICIOUS, null)))
                .expectErrorMessage("commit refused").verify();

        assertThat(commits.commits()).isEqualTo(1);
        assertThat(meters.get(ScanMetrics.FEEDBACK).counters()).allSatisfy(counter -> assertThat(counter.count()).isZero());
        assertThat(threats("malicious", "feedback")).isZero();
    }

    @Test
    void committedFeedbackCountsOnceFromTheScansVerdictToTheAnalysts() {
        given(repository.scan("acme", "s-1")).willReturn(Mono.just(stored(Verdict.MALICIOUS)));

        StepVerifier.create(scans.feedback(analyst, "s-1", new FeedbackInput(Verdict.CLEAN, null)))
                .expectNextCount(1).verifyComplete();

        assertThat(meters.get(ScanMetrics.FEEDBACK).tags("from", "malicious", "to", "clean").counter().count()).isEqualTo(1);
        assertThat(threats("malicious", "feedback")).isZero();
        assertThat(threats("suspicious", "feedback")).isZero();
    }

    @Test
    void feedbackThatRaisesTheVerdictIsAThreatFromFeedback() {
        given(repository.scan("acme", "s-1")).willReturn(Mono.just(stored(Verdict.CLEAN)));

        StepVerifier.create(scans.feedback(analyst, "s-1", new FeedbackInput(Verdict.SUSPICIOUS, null)))
                .expectNextCount(1).verifyComplete();

        assertThat(meters.get(ScanMetrics.FEEDBACK).tags("from", "clean", "to", "suspicious").counter().count()).isEqualTo(1);
        assertThat(threats("suspicious", "feedback")).isEqualTo(1);
    }

    @Test
    void feedbackReRunAfterAWriteConflictCountsOnce() {
        given(repository.scan("acme", "s-1")).willReturn(Mono.just(stored(Verdict.MALICIOUS)));
        given(statistics.moved(any(), any(), any(), any(), anyBoolean())).willReturn(Mono.error(writeConflict()), Mono.empty());

        StepVerifier.create(scans.feedback(analyst, "s-1", new FeedbackInput(Verdict.CLEAN, null)))
                .expectNextCount(1).verifyComplete();

        assertThat(meters.get(ScanMetrics.FEEDBACK).tags("from", "malicious", "to", "clean").counter().count()).isEqualTo(1);
    }

    @Test
    void feedbackThatFailsCountsNothing() {
        given(repository.scan("acme", "s-1")).willReturn(Mono.just(stored(Verdict.CLEAN)));
        given(audit.record(any())).willReturn(Mono.error(new IllegalStateException("audit unavailable")));

        StepVerifier.create(scans.feedback(analyst, "s-1", new FeedbackInput(Verdict.MALICIOUS, null)))
                .expectErrorMessage("audit unavailable").verify();

        assertThat(meters.get(ScanMetrics.FEEDBACK).counters()).allSatisfy(counter -> assertThat(counter.count()).isZero());
        assertThat(threats("malicious", "feedback")).isZero();
    }

    private ScanService scansCommittingWith(TransactionalOperator operator) {
        return new ScanService(repository, statistics, new ScanMetrics(meters), audit, new Transactions(operator),
                mock(CursorCodec.class), Clock.fixed(NOW, ZoneOffset.UTC), () -> "id-" + ids.incrementAndGet());
    }

    /** Runs each unit inside a marked transaction, then commits it: the first commits fail as scripted. */
    private static final class ScriptedCommits implements TransactionalOperator {

        private final MarkingOperator marking = new MarkingOperator();
        private final java.util.Deque<RuntimeException> failures;
        private final AtomicInteger commits = new AtomicInteger();

        ScriptedCommits(RuntimeException... failures) {
            this.failures = new java.util.ArrayDeque<>(List.of(failures));
        }

        int commits() {
            return commits.get();
        }

        @Override
        public <T> reactor.core.publisher.Flux<T> execute(org.springframework.transaction.reactive.TransactionCallback<T> action) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> Mono<T> transactional(Mono<T> unit) {
            return marking.transactional(unit).flatMap(value -> {
                commits.incrementAndGet();
                RuntimeException failure = failures.poll();
                return failure == null ? Mono.just(value) : Mono.error(failure);
            });
        }
    }

    private double ingested(String verdict) {
        return meters.get(ScanMetrics.INGESTED).tag("verdict", verdict).counter().count();
    }

    private double threats(String verdict, String source) {
        return meters.get(ScanMetrics.THREATS).tags("verdict", verdict, "source", source).counter().count();
    }

    private static IngestScan request(Verdict verdict) {
        return new IngestScan("u-1",
                new ScanRequests.EmailInput("<m@x>", "a@x.example", List.of("b@y.example"), "subject", RECEIVED, 10, Map.of()),
                new ScanRequests.ResultInput(verdict, 0.97, List.of(), "m1", Map.of(), RECEIVED.plusSeconds(1)));
    }

    private static ScanResult stored(IngestScan request) {
        return new ScanResult("s-1", "acme", "u-1", "e-1", "a@x.example", request.result().verdict(),
                request.result().verdict(), 0.97, List.of(), "m1", Map.of(), "key-1", ScanService.requestHash(request),
                RECEIVED.plusSeconds(1), false, RECEIVED);
    }

    private static ScanResult stored(Verdict verdict) {
        return stored(request(verdict));
    }

    private static MongoException writeConflict() {
        MongoCommandException failure = new MongoCommandException(
                BsonDocument.parse("{ok: 0, code: 112, codeName: 'WriteConflict', errmsg: 'write conflict'}"),
                new ServerAddress());
        failure.addLabel(MongoException.TRANSIENT_TRANSACTION_ERROR_LABEL);
        return failure;
    }
}
