package com.phishnet.store.scans;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.phishnet.store.platform.web.CursorCodec.Position;
import com.phishnet.store.support.Explain;
import com.phishnet.store.support.MigratedTemplate;
import com.phishnet.store.support.MongoTestDatabase;
import com.phishnet.store.support.RequiresRealMongo;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;

/**
 * The feedback lists on a real server: each is served by the index made for it, in its sort order (no SORT
 * stage, so a deep cursor page costs what the first does), and keyset pages walk every feedback exactly once
 * through equal creation times.
 */
@RequiresRealMongo
class FeedbackQueriesIT {

    private static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");

    private MongoTestDatabase db;
    private ReactiveMongoTemplate template;

    @BeforeEach
    void migrate() {
        db = MongoTestDatabase.create();
        template = MigratedTemplate.on(db);
        // Five feedback at the same instant and five a second apart, by two analysts on ten scans.
        for (int i = 0; i < 10; i++) {
            Instant created = i < 5 ? AT : AT.minusSeconds(i);
            template.insert(new Feedback("f-" + i, "acme", "s-" + i, i % 2 == 0 ? "a-1" : "a-2", Verdict.CLEAN, null,
                    created, created, 1 + i % 5, FeedbackFlag.values()[i % 3].value(), "m-1", Verdict.MALICIOUS)).block();
        }
        template.insert(new Feedback("g-1", "globex", "s-1", "a-1", Verdict.CLEAN, null, AT, AT, null, null, null,
                null)).block();
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void eachListIsServedByItsIndexInSortOrder() {
        Position position = new Position(AT, "f-3");
        assertServedBy(ScanRepository.feedbackPage("acme", new FeedbackFilter(null, null, null, null), null, 0, 50),
                FeedbackFields.BY_TIME_INDEX);
        assertServedBy(ScanRepository.feedbackPage("acme", new FeedbackFilter(null, null, AT.minusSeconds(60), AT), null,
                0, 50), FeedbackFields.BY_TIME_INDEX);
        assertServedBy(ScanRepository.feedbackPage("acme", new FeedbackFilter(null, null, null, null), position, 0, 50),
                FeedbackFields.BY_TIME_INDEX);
        assertServedBy(ScanRepository.feedbackPage("acme", new FeedbackFilter("s-1", null, null, null), null, 0, 50),
                FeedbackFields.BY_SCAN_INDEX);
        assertServedBy(ScanRepository.feedbackPage("acme", new FeedbackFilter("s-1", null, null, null), position, 0, 50),
                FeedbackFields.BY_SCAN_INDEX);
        assertServedBy(ScanRepository.feedbackPage("acme", new FeedbackFilter(null, "a-1", null, null), null, 0, 50),
                FeedbackFields.BY_ANALYST_INDEX);
        assertServedBy(ScanRepository.feedbackPage("acme", new FeedbackFilter(null, "a-1", AT.minusSeconds(60), AT),
                position, 0, 50), FeedbackFields.BY_ANALYST_INDEX);
    }

    @Test
    void aScanAndAnAnalystTogetherMatchAtMostOneFeedbackThroughAnIndex() {
        Query query = ScanRepository.feedbackPage("acme", new FeedbackFilter("s-1", "a-2", null, null), null, 0, 50);

        assertThat(Explain.stages(Explain.winningPlan(template, query, Feedback.class))).contains("IXSCAN")
                .doesNotContain("COLLSCAN");
    }

    @Test
    void keysetPagesWalkEveryFeedbackOnceThroughEqualTimesNewestFirst() {
        List<String> seen = new ArrayList<>();
        Position after = null;
        FeedbackFilter all = new FeedbackFilter(null, null, null, null);
        for (int pages = 0; pages < 10; pages++) {
            List<Feedback> page = template.find(ScanRepository.feedbackPage("acme", all, after, 0, 3), Feedback.class)
                    .collectList().block();
            page.forEach(feedback -> seen.add(feedback.id()));
            if (page.size() < 3) {
                break;
            }
            Feedback last = page.get(page.size() - 1);
            after = new Position(last.createdAt(), last.id());
        }

        assertThat(seen).containsExactly("f-4", "f-3", "f-2", "f-1", "f-0", "f-5", "f-6", "f-7", "f-8", "f-9");
    }

    @Test
    void storedRatingsAndFlagsReadBackAsWritten() {
        Feedback read = template.find(ScanRepository.feedbackPage("acme", new FeedbackFilter("s-2", null, null, null),
                null, 0, 1), Feedback.class).blockFirst();

        assertThat(read.rating()).isEqualTo(3);
        assertThat(FeedbackFlag.ofStored(read.flag())).isEqualTo(FeedbackFlag.NEEDS_REVIEW);
        assertThat(read.scanVerdict()).isEqualTo(Verdict.MALICIOUS);
    }

    private void assertServedBy(Query query, String index) {
        Document plan = Explain.winningPlan(template, query, Feedback.class);
        assertThat(Explain.stages(plan)).as(query.toString()).contains("IXSCAN").doesNotContain("COLLSCAN", "SORT");
        assertThat(plan.toJson()).as(query.toString()).contains("\"indexName\": \"" + index + "\"");
    }
}
