package com.phishnet.store.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import com.phishnet.store.audit.AuditRequests.AuditEntryView;
import com.phishnet.store.platform.mongo.Change;
import com.phishnet.store.platform.mongo.ChangeFeed;
import com.phishnet.store.platform.mongo.ChangePosition;
import com.phishnet.store.platform.mongo.ResumeToken;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.support.MarkingOperator;
import com.phishnet.store.support.RenderedBson;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** The audit change source: its pipeline as the server receives it, and an insert event read into what the stream sends. */
class AuditChangesTest {

    private static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");
    private static final Instant COMMITTED = Instant.parse("2026-11-23T10:00:00.250Z");
    private static final ResumeToken TOKEN = ResumeToken.parse("8267A1B2C3000000022B042C0100296E5A1004");

    @Test
    void theSharedCursorMatchesEveryAppendOfEveryChain() {
        assertThat(AuditRepository.appendedPipeline())
                .containsExactly(Document.parse("{$match: {operationType: 'insert'}}"));
    }

    @Test
    void anAppendedEntryComesAsTheAuditRouteShowsIt() {
        ReactiveMongoTemplate template = mock(ReactiveMongoTemplate.class);
        ChangeFeed feed = mock(ChangeFeed.class);
        given(template.getConverter()).willReturn(RenderedBson.converter());
        given(feed.watch(eq("audit_logs"), eq(AuditRepository.appendedPipeline()), eq(ChangePosition.after(TOKEN))))
                .willReturn(Flux.just(new Change(TOKEN, "insert", "audit_logs", storedEntry(), new BsonDocument(), COMMITTED)));
        AuditService service = new AuditService(new AuditRepository(template, feed),
                new Transactions(new MarkingOperator()), Clock.systemUTC(), () -> "id-1", new java.security.SecureRandom());

        StepVerifier.create(service.changes(ChangePosition.after(TOKEN)))
                .assertNext(change -> {
                    assertThat(change.token()).isEqualTo(TOKEN);
                    assertThat(change.committedAt()).isEqualTo(COMMITTED);
                    assertThat(change.tenantId()).isEqualTo("acme");
                    assertThat(change.eventType()).isEqualTo("THREAT_DETECTED");
                    assertThat(change.entry()).isEqualTo(new AuditEntryView("a-7", "acme", 7L, "THREAT_DETECTED",
                            "scanner-1", "scan_results", "s-1", AuditOutcome.SUCCESS, "203.0.113.9", "scanner/2",
                            "req-1", Map.of("score", "0.97"), AT, "p".repeat(64), "h".repeat(64), null, null, null));
                })
                .verifyComplete();
    }

    /** An audit_logs document as the driver decodes it from an insert event. */
    private static Document storedEntry() {
        return new Document("_id", "a-7").append("tenantId", "acme").append("seq", 7L)
                .append("eventType", "THREAT_DETECTED").append("actorId", "scanner-1").append("targetType", "scan_results")
                .append("targetId", "s-1").append("outcome", "SUCCESS").append("ip", "203.0.113.9")
                .append("userAgent", "scanner/2").append("requestId", "req-1").append("details", new Document("score", "0.97"))
                .append("at", Date.from(AT)).append("prevHash", "p".repeat(64)).append("hash", "h".repeat(64));
    }
}
