package com.phishnet.store.scans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;

import com.phishnet.store.audit.AuditService;
import com.phishnet.store.platform.mongo.Change;
import com.phishnet.store.platform.mongo.ChangeFeed;
import com.phishnet.store.platform.mongo.ChangePosition;
import com.phishnet.store.platform.mongo.ResumeToken;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.web.CursorCodec;
import com.phishnet.store.scans.ScanRepository.ChangedScan;
import com.phishnet.store.scans.ScanRequests.ThreatView;
import com.phishnet.store.support.MarkingOperator;
import com.phishnet.store.support.RenderedBson;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The scan and threat change sources: the pipelines as the server receives them, the feedback update that makes a
 * raise visible in its event, and events (as a server sends them) read into what the streams send.
 */
class ScanChangesTest {

    private static final Instant SCANNED = Instant.parse("2026-11-23T09:59:58Z");
    private static final Instant COMMITTED = Instant.parse("2026-11-23T10:00:00.123Z");
    private static final ResumeToken TOKEN = ResumeToken.parse("8267A1B2C3000000012B042C0100296E5A1004");

    private final ScanRepository repository = mock(ScanRepository.class);
    private final ScanService service = new ScanService(repository, mock(ScanStatistics.class),
            new ScanMetrics(new SimpleMeterRegistry()), mock(AuditService.class), new Transactions(new MarkingOperator()),
            mock(CursorCodec.class), Clock.fixed(COMMITTED, ZoneOffset.UTC), () -> "id-1");

    @Test
    void theSharedScanCursorMatchesEveryInsertOfEveryTenant() {
        assertThat(ScanRepository.insertedScansPipeline())
                .containsExactly(Document.parse("{$match: {operationType: 'insert'}}"));
    }

    @Test
    void theThreatCursorMatchesThreateningInsertsAndExactlyTheThreeRaisingCorrectionsOfEveryTenant() {
        assertThat(ScanRepository.threatsPipeline()).containsExactly(Document.parse("""
                {$match: {
                  $or: [
                    {operationType: 'insert', 'fullDocument.verdict': {$in: ['SUSPICIOUS', 'MALICIOUS']}},
                    {operationType: 'update', $or: [
                      {'updateDescription.updatedFields.correctedFrom': 'CLEAN',
                       'updateDescription.updatedFields.effectiveVerdict': 'SUSPICIOUS'},
                      {'updateDescription.updatedFields.correctedFrom': 'CLEAN',
                       'updateDescription.updatedFields.effectiveVerdict': 'MALICIOUS'},
                      {'updateDescription.updatedFields.correctedFrom': 'SUSPICIOUS',
                       'updateDescription.updatedFields.effectiveVerdict': 'MALICIOUS'}]}]}}"""));
    }

    @Test
    void aCorrectionSetsTheNewVerdictAndTheOneItReplacedInOneUpdate() {
        assertThat(Document.parse(RenderedBson.update(ScanRepository.correction(Verdict.CLEAN, Verdict.MALICIOUS),
                ScanResult.class)))
                .isEqualTo(Document.parse("{$set: {effectiveVerdict: 'MALICIOUS', correctedFrom: 'CLEAN'}}"));
    }

    @Test
    void theRepositoryReadsTheEventsDocumentWithTheTemplatesConverterAndSkipsAScanThatIsGone() {
        ReactiveMongoTemplate template = mock(ReactiveMongoTemplate.class);
        ChangeFeed feed = mock(ChangeFeed.class);
        given(template.getConverter()).willReturn(RenderedBson.converter());
        Change gone = new Change(TOKEN, "update", "scan_results", null, raise("CLEAN", "MALICIOUS"), COMMITTED);
        given(feed.watch(eq("scan_results"), eq(ScanRepository.threatsPipeline()), eq(ChangePosition.after(TOKEN))))
                .willReturn(Flux.just(gone, inserted(storedScan("MALICIOUS"))));

        StepVerifier.create(new ScanRepository(template, feed).threats(ChangePosition.after(TOKEN)))
                .assertNext(changed -> {
                    assertThat(changed.scan()).isEqualTo(new ScanResult("s-1", "acme", "u-1", "e-1", "eve@evil.example",
                            Verdict.MALICIOUS, Verdict.MALICIOUS, 0.97,
                            List.of(new ScanResult.Indicator("url", "http://evil.example/login", 0.8)), "m-1",
                            java.util.Map.of("totalMs", 42L), "key-1", "a".repeat(64), SCANNED, false, SCANNED));
                    assertThat(changed.correctedTo()).isNull();
                })
                .verifyComplete();
    }

    @Test
    void aCommittedScanComesWithItsEmailAndWhatSubscribersFilterOn() {
        EmailMeta email = new EmailMeta("e-1", "acme", "u-1", "<m@x>", "eve@evil.example", "evil.example",
                List.of("bob@corp.example"), "Invoice", SCANNED, 10, java.util.Map.of(), false, SCANNED);
        given(repository.insertedScans(ChangePosition.after(TOKEN))).willReturn(Flux.just(changed(inserted(storedScan("SUSPICIOUS")))));
        given(repository.email("acme", "e-1")).willReturn(Mono.just(email));

        StepVerifier.create(service.scanChanges(ChangePosition.after(TOKEN)))
                .assertNext(change -> {
                    assertThat(change.token()).isEqualTo(TOKEN);
                    assertThat(change.committedAt()).isEqualTo(COMMITTED);
                    assertThat(change.tenantId()).isEqualTo("acme");
                    assertThat(change.userId()).isEqualTo("u-1");
                    assertThat(change.verdict()).isEqualTo(Verdict.SUSPICIOUS);
                    assertThat(change.score()).isEqualTo(0.97);
                    assertThat(change.scan()).isEqualTo(ScanRequests.ScanView.of(scanOf(storedScan("SUSPICIOUS")), email));
                })
                .verifyComplete();
    }

    @Test
    void aScanWhoseEmailIsGoneShowsNoEmailAsGetDoes() {
        given(repository.insertedScans(null)).willReturn(Flux.just(changed(inserted(storedScan("CLEAN")))));
        given(repository.email("acme", "e-1")).willReturn(Mono.empty());

        StepVerifier.create(service.scanChanges(null))
                .assertNext(change -> assertThat(change.scan())
                        .isEqualTo(ScanRequests.ScanView.of(scanOf(storedScan("CLEAN")), null)))
                .verifyComplete();
    }

    @Test
    void eventsLeaveInTheOrderTheyWereCommittedWhateverOrderTheirEmailsArriveIn() {
        Document first = storedScan("CLEAN");
        Document second = storedScan("CLEAN").append("_id", "s-2").append("emailId", "e-2");
        given(repository.insertedScans(null)).willReturn(Flux.just(changed(inserted(first)), changed(inserted(second))));
        // Assembled on subscription, so the delay runs on the virtual clock.
        given(repository.email("acme", "e-1"))
                .willAnswer(call -> Mono.<EmailMeta>empty().delaySubscription(Duration.ofSeconds(1)));
        given(repository.email("acme", "e-2")).willReturn(Mono.empty());

        StepVerifier.withVirtualTime(() -> service.scanChanges(null).map(change -> change.scan().id()))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(999))
                .thenAwait(Duration.ofMillis(1))
                .expectNext("s-1", "s-2")
                .verifyComplete();
    }

    @Test
    void aThreateningInsertIsADetectedThreat() {
        given(repository.threats(null)).willReturn(Flux.just(changed(inserted(storedScan("MALICIOUS")))));
        given(repository.email(any(), any())).willReturn(Mono.empty());

        StepVerifier.create(service.threatChanges(null))
                .assertNext(change -> {
                    assertThat(change.token()).isEqualTo(TOKEN);
                    assertThat(change.tenantId()).isEqualTo("acme");
                    assertThat(change.userId()).isEqualTo("u-1");
                    assertThat(change.threat()).isEqualTo(new ThreatView("DETECTED", null, Verdict.MALICIOUS,
                            ScanRequests.ScanView.of(scanOf(storedScan("MALICIOUS")), null)));
                })
                .verifyComplete();
    }

    @Test
    void aRaisingCorrectionIsAThreatRaisedByFeedbackWithTheVerdictsOfItsEvent() {
        // Looked up after a second correction: the scan now stands at SUSPICIOUS; the event still says what it did.
        Document lookedUp = storedScan("CLEAN").append("effectiveVerdict", "SUSPICIOUS").append("correctedFrom", "MALICIOUS");
        Change update = new Change(TOKEN, "update", "scan_results", lookedUp, raise("CLEAN", "MALICIOUS"), COMMITTED);
        given(repository.threats(null)).willReturn(Flux.just(changed(update)));
        given(repository.email(any(), any())).willReturn(Mono.empty());

        StepVerifier.create(service.threatChanges(null))
                .assertNext(change -> {
                    assertThat(change.threat().cause()).isEqualTo(ThreatView.RAISED_BY_FEEDBACK);
                    assertThat(change.threat().from()).isEqualTo(Verdict.CLEAN);
                    assertThat(change.threat().verdict()).isEqualTo(Verdict.MALICIOUS);
                    assertThat(change.threat().scan().effectiveVerdict()).isEqualTo(Verdict.SUSPICIOUS);
                    assertThat(change.committedAt()).isEqualTo(COMMITTED);
                })
                .verifyComplete();
    }

    @Test
    void aLoweringCorrectionOrACleanInsertIsNeverAThreatEvenIfTheServerLetItThrough() {
        Change lowered = new Change(TOKEN, "update", "scan_results", storedScan("MALICIOUS"), raise("MALICIOUS", "CLEAN"),
                COMMITTED);
        given(repository.threats(null)).willReturn(Flux.just(changed(lowered), changed(inserted(storedScan("CLEAN")))));
        given(repository.email(any(), any())).willReturn(Mono.empty());

        StepVerifier.create(service.threatChanges(null)).verifyComplete();
    }

    /** A scan_results document as the driver decodes it from an event: dates as Date, whole numbers as Long. */
    private static Document storedScan(String verdict) {
        return new Document("_id", "s-1").append("tenantId", "acme").append("userId", "u-1").append("emailId", "e-1")
                .append("sender", "eve@evil.example").append("verdict", verdict).append("effectiveVerdict", verdict)
                .append("score", 0.97)
                .append("indicators", List.of(new Document("type", "url").append("value", "http://evil.example/login")
                        .append("weight", 0.8)))
                .append("modelVersion", "m-1").append("timings", new Document("totalMs", 42L))
                .append("idempotencyKey", "key-1").append("requestHash", "a".repeat(64))
                .append("scannedAt", Date.from(SCANNED)).append("legalHold", false).append("createdAt", Date.from(SCANNED))
                .append("_class", "com.phishnet.store.scans.ScanResult");
    }

    private static Change inserted(Document scan) {
        return new Change(TOKEN, "insert", "scan_results", scan, new BsonDocument(), COMMITTED);
    }

    private static BsonDocument raise(String from, String to) {
        return BsonDocument.parse("{effectiveVerdict: '" + to + "', correctedFrom: '" + from + "'}");
    }

    private static ChangedScan changed(Change change) {
        return new ChangedScan(change, scanOf(change.fullDocument()));
    }

    private static ScanResult scanOf(Document stored) {
        return RenderedBson.read(ScanResult.class, stored);
    }
}
