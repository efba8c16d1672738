package com.phishnet.store.scans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.phishnet.store.audit.AuditService;
import com.phishnet.store.platform.crypto.BlindIndex;
import com.phishnet.store.platform.crypto.KeyRing;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.platform.web.CursorCodec;
import com.phishnet.store.platform.web.PageRequest;
import com.phishnet.store.platform.web.PageResponse;
import com.phishnet.store.scans.ScanRequests.CursorPage;
import com.phishnet.store.scans.ScanRequests.FeedbackInput;
import com.phishnet.store.support.MarkingOperator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.data.mongodb.core.query.Query;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Feedback written with its rating, flag and the scan's model version and original verdict; feedback read back
 * by offset and keyset pages within the caller's tenant, and a scan of another tenant is not found.
 */
class FeedbackServiceTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    private final ScanRepository repository = mock(ScanRepository.class);
    private final ScanStatistics statistics = mock(ScanStatistics.class);
    private final AuditService audit = mock(AuditService.class);
    private final CursorCodec cursors = new CursorCodec(new BlindIndex(new KeyRing(Map.of("k", filled(1)), "k", filled(2))));
    private final ScanService scans = new ScanService(repository, statistics, new ScanMetrics(new SimpleMeterRegistry()),
            audit, new Transactions(new MarkingOperator()), cursors, Clock.fixed(NOW, ZoneOffset.UTC), () -> "f-new");
    private final Caller analyst = new Caller("analyst-1", "acme", Set.of(Role.ANALYST), Set.of(), "203.0.113.9", "", "r-1");
    // Detected MALICIOUS by model m-7, already corrected to SUSPICIOUS by someone else.
    private final ScanResult scan = new ScanResult("s-1", "acme", "u-1", "e-1", "a@x.example", Verdict.MALICIOUS,
            Verdict.SUSPICIOUS, 0.97, List.of(), "m-7", Map.of(), "key-1", "a".repeat(64), NOW, false, NOW);

    @BeforeEach
    void stubs() {
        given(repository.scan("acme", "s-1")).willReturn(Mono.just(scan));
        given(repository.scan("acme", "globex-scan")).willReturn(Mono.empty());
        given(repository.scanExists("acme", "s-1")).willReturn(Mono.just(true));
        given(repository.scanExists("acme", "globex-scan")).willReturn(Mono.just(false));
        given(repository.feedback(any(), any(), any())).willReturn(Mono.empty());
        given(repository.upsertFeedback(any())).willAnswer(call -> Mono.just(call.getArgument(0)));
        given(repository.setEffectiveVerdict(any(), any(), any(), any(), any())).willReturn(Mono.just(scan));
        given(audit.record(any())).willReturn(Mono.empty());
        given(statistics.moved(any(), any(), any(), any(), anyBoolean())).willReturn(Mono.empty());
        given(statistics.committed(any(), any())).willReturn(Mono.empty());
    }

    @Test
    void feedbackCopiesTheScansModelVersionAndOriginalVerdictWithItsRatingAndFlag() {
        StepVerifier.create(scans.feedback(analyst, "s-1",
                        new FeedbackInput(Verdict.CLEAN, "newsletter", 2, FeedbackFlag.FALSE_POSITIVE)))
                .assertNext(view -> {
                    assertThat(view.rating()).isEqualTo(2);
                    assertThat(view.flag()).isEqualTo(FeedbackFlag.FALSE_POSITIVE);
                    assertThat(view.modelVersion()).isEqualTo("m-7");
                    assertThat(view.scanVerdict()).isEqualTo(Verdict.MALICIOUS);
                })
                .verifyComplete();

        ArgumentCaptor<Feedback> written = ArgumentCaptor.forClass(Feedback.class);
        verify(repository).upsertFeedback(written.capture());
        assertThat(written.getValue()).isEqualTo(new Feedback("f-new", "acme", "s-1", "analyst-1", Verdict.CLEAN,
                "newsletter", NOW, NOW, 2, "false_positive", "m-7", Verdict.MALICIOUS));
    }

    @Test
    void aScanOfAnotherTenantHasNoFeedbackToList() {
        StepVerifier.create(scans.scanFeedback(analyst, "globex-scan", new FeedbackFilter("globex-scan", null, null, null),
                        null, new PageRequest(1, 50), URI.create("/api/v1/scans/globex-scan/feedback")))
                .verifyError(ApiException.NotFound.class);

        verify(repository, never()).feedbackList(any());
        verify(repository, never()).countFeedback(any(), any());
    }

    @Test
    void aScansFeedbackIsAnOffsetPageWithItsTotal() {
        given(repository.feedbackList(any())).willReturn(Flux.just(stored("f-1", NOW)));
        given(repository.countFeedback("acme", new FeedbackFilter("s-1", null, null, null))).willReturn(Mono.just(1L));

        StepVerifier.create(scans.scanFeedback(analyst, "s-1", new FeedbackFilter("s-1", null, null, null), null,
                        new PageRequest(1, 50), URI.create("/api/v1/scans/s-1/feedback")))
                .assertNext(page -> assertThat(((PageResponse<?>) page).total()).isEqualTo(1))
                .verifyComplete();
    }

    @Test
    void aFullCursorPageLeadsOnFromItsLastFeedbackAndTheNextPageStartsStrictlyAfterIt() {
        FeedbackFilter filter = new FeedbackFilter(null, "analyst-2", null, null);
        given(repository.feedbackList(any())).willReturn(
                Flux.just(stored("f-2", NOW), stored("f-1", NOW.minusSeconds(5))), Flux.empty());

        CursorPage<ScanRequests.FeedbackView> first = scans.feedbackAfter(analyst, filter, "", 2).block();
        CursorPage<ScanRequests.FeedbackView> second = scans.feedbackAfter(analyst, filter, first.nextCursor(), 2).block();

        assertThat(first.items()).extracting(ScanRequests.FeedbackView::id).containsExactly("f-2", "f-1");
        assertThat(second.nextCursor()).isNull();
        ArgumentCaptor<Query> queries = ArgumentCaptor.forClass(Query.class);
        verify(repository, org.mockito.Mockito.times(2)).feedbackList(queries.capture());
        assertThat(queries.getAllValues().get(1)).isEqualTo(ScanRepository.feedbackPage("acme", filter,
                new CursorCodec.Position(NOW.minusSeconds(5), "f-1"), 0, 2));
    }

    @Test
    void aCursorIssuedForAnotherFilterIsRefused() {
        given(repository.feedbackList(any())).willReturn(Flux.just(stored("f-1", NOW)));
        String cursor = scans.feedbackAfter(analyst, new FeedbackFilter(null, "analyst-2", null, null), "", 1).block()
                .nextCursor();

        StepVerifier.create(scans.feedbackAfter(analyst, new FeedbackFilter(null, "analyst-3", null, null), cursor, 1))
                .verifyError(ApiException.class);
    }

    private static Feedback stored(String id, Instant createdAt) {
        return new Feedback(id, "acme", "s-1", "analyst-2", Verdict.CLEAN, null, createdAt, createdAt, null, null, "m-7",
                Verdict.MALICIOUS);
    }

    private static byte[] filled(int value) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) value);
        return key;
    }
}
