package com.phishnet.store.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import com.phishnet.store.analytics.AnalyticsRequests.FeedbackAgreement;
import com.phishnet.store.scans.Feedback;
import com.phishnet.store.scans.FeedbackFields;
import com.phishnet.store.scans.FeedbackFlag;
import com.phishnet.store.scans.Verdict;
import com.phishnet.store.support.MigratedTemplate;
import com.phishnet.store.support.MongoTestDatabase;
import com.phishnet.store.support.RequiresRealMongo;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.aggregation.Aggregation;
import reactor.core.publisher.Mono;

/**
 * The feedback agreement aggregation on a real server over a known data set: exact counts, rates and averages per
 * model version and original verdict, the half-open range, the tenant, feedback without the scan's copied fields
 * under "unknown", and the $match on feedback_tenant_created.
 */
@RequiresRealMongo
class FeedbackAgreementIT {

    private static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-11-02T00:00:00Z");

    private MongoTestDatabase db;
    private ReactiveMongoTemplate template;
    private TenantStatsRepository repository;

    @BeforeEach
    void knownDataSet() {
        db = MongoTestDatabase.create();
        template = MigratedTemplate.on(db);
        repository = new TenantStatsRepository(template);
        Instant in = FROM.plusSeconds(3600);
        // m-1, detected MALICIOUS: two agree, one says CLEAN (a false positive); ratings 5 and 2.
        feedback("f-1", "acme", in, Verdict.MALICIOUS, 5, null, "m-1", Verdict.MALICIOUS);
        feedback("f-2", "acme", in, Verdict.CLEAN, 2, FeedbackFlag.FALSE_POSITIVE, "m-1", Verdict.MALICIOUS);
        feedback("f-3", "acme", FROM, Verdict.MALICIOUS, null, FeedbackFlag.NEEDS_REVIEW, "m-1", Verdict.MALICIOUS);
        // m-1, detected CLEAN: a missed threat.
        feedback("f-4", "acme", in, Verdict.MALICIOUS, null, FeedbackFlag.FALSE_NEGATIVE, "m-1", Verdict.CLEAN);
        // m-2, detected CLEAN: agrees, rated 4.
        feedback("f-5", "acme", in, Verdict.CLEAN, 4, null, "m-2", Verdict.CLEAN);
        // Old feedback whose scan was gone when V017 backfilled.
        feedback("f-6", "acme", in, Verdict.SUSPICIOUS, null, null, null, null);
        // Outside: at the exclusive end, just before the start, another tenant.
        feedback("f-7", "acme", TO, Verdict.CLEAN, 1, null, "m-1", Verdict.CLEAN);
        feedback("f-8", "acme", FROM.minusMillis(1), Verdict.CLEAN, 1, null, "m-1", Verdict.CLEAN);
        feedback("f-9", "globex", in, Verdict.CLEAN, 1, null, "m-1", Verdict.CLEAN);
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void agreementPerModelVersionAndOriginalVerdictIsExact() {
        List<FeedbackAgreement> groups = repository.feedbackAgreement("acme", FROM, TO, 1001).block();

        assertThat(groups).containsExactly(
                new FeedbackAgreement("m-1", "CLEAN", 1, 0, 0.0, 0, 1, 0, 0, null),
                new FeedbackAgreement("m-1", "MALICIOUS", 3, 2, 2.0 / 3, 1, 0, 1, 2, 3.5),
                new FeedbackAgreement("m-2", "CLEAN", 1, 1, 1.0, 0, 0, 0, 1, 4.0),
                new FeedbackAgreement("unknown", "unknown", 1, 0, null, 0, 0, 0, 0, null));
    }

    @Test
    void anotherTenantSeesOnlyItsOwnFeedback() {
        assertThat(repository.feedbackAgreement("globex", FROM, TO, 1001).block())
                .containsExactly(new FeedbackAgreement("m-1", "CLEAN", 1, 1, 1.0, 0, 0, 0, 1, 1.0));
    }

    @Test
    void theLimitBoundsTheGroups() {
        assertThat(repository.feedbackAgreement("acme", FROM, TO, 2).block()).hasSize(2);
    }

    @Test
    void theMatchIsServedByTheTenantTimeIndex() {
        Document explained = template.getMongoDatabase().flatMap(database -> Mono.from(database.runCommand(
                new Document("explain", new Document("aggregate", FeedbackFields.COLLECTION)
                        .append("pipeline", TenantStatsRepository.feedbackAgreementAggregation("acme", FROM, TO, 1001)
                                .toPipeline(Aggregation.DEFAULT_CONTEXT))
                        .append("cursor", new Document()))
                        .append("verbosity", "queryPlanner")))).block();

        assertThat(explained.toJson()).contains("\"indexName\": \"" + FeedbackFields.BY_TIME_INDEX + "\"")
                .doesNotContain("COLLSCAN");
    }

    private void feedback(String id, String tenant, Instant created, Verdict corrected, Integer rating,
            FeedbackFlag flag, String modelVersion, Verdict scanVerdict) {
        // An analyst per feedback, as in life: an index led by the analyst then serves a time range far worse than
        // the time index, so the plan the test names wins for the reason it gives.
        template.insert(new Feedback(id, tenant, "s-" + id, "a-" + id, corrected, null, created, created, rating,
                flag == null ? null : flag.value(), modelVersion, scanVerdict)).block();
    }
}
