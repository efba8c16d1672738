package com.phishnet.store.scans;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import com.phishnet.store.platform.web.CursorCodec.Position;
import com.phishnet.store.support.RenderedBson;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The BSON of the feedback lists and of a feedback write with a rating, a flag and the scan's copied fields. */
class FeedbackQueriesTest {

    private final Instant from = Instant.parse("2026-11-01T00:00:00Z");
    private final Instant to = Instant.parse("2026-11-23T00:00:00Z");
    private final Instant now = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void theTenantsFeedbackIsListedNewestFirstByCreationTimeAndId() {
        var query = ScanRepository.feedbackPage("acme", new FeedbackFilter(null, null, null, null), null, 100, 50);

        assertThat(RenderedBson.filter(query, Feedback.class)).isEqualTo("{\"tenantId\": \"acme\"}");
        assertThat(RenderedBson.sort(query, Feedback.class)).isEqualTo("{\"createdAt\": -1, \"_id\": -1}");
        assertThat(query.getSkip()).isEqualTo(100);
        assertThat(query.getLimit()).isEqualTo(50);
    }

    @Test
    void aScansFeedbackMatchesTheTenantThenTheScanAsFeedbackTenantScanCreatedIsKeyed() {
        var query = ScanRepository.feedbackPage("acme", new FeedbackFilter("s-1", null, null, null), null, 0, 50);

        assertThat(RenderedBson.filter(query, Feedback.class)).isEqualTo("{\"tenantId\": \"acme\", \"scanId\": \"s-1\"}");
    }

    @Test
    void anAnalystsFeedbackInATimeRangeBoundsCreationTimeHalfOpen() {
        var query = ScanRepository.feedbackPage("acme", new FeedbackFilter(null, "a-1", from, to), null, 0, 50);

        assertThat(RenderedBson.filter(query, Feedback.class)).isEqualTo("{\"tenantId\": \"acme\", \"analystId\": \"a-1\", "
                + "\"createdAt\": {\"$gte\": {\"$date\": \"2026-11-01T00:00:00Z\"}, \"$lt\": {\"$date\": \"2026-11-23T00:00:00Z\"}}}");
    }

    @Test
    void aCursorPageStartsStrictlyAfterItsPositionWithoutSkip() {
        Position after = new Position(now, "f-9");

        var query = ScanRepository.feedbackPage("acme", new FeedbackFilter(null, "a-1", null, null), after, 500, 20);

        assertThat(RenderedBson.filter(query, Feedback.class)).isEqualTo("{\"tenantId\": \"acme\", \"analystId\": \"a-1\", "
                + "\"createdAt\": {\"$lte\": {\"$date\": \"2026-11-23T10:00:00Z\"}}, \"$or\": ["
                + "{\"createdAt\": {\"$lt\": {\"$date\": \"2026-11-23T10:00:00Z\"}}}, "
                + "{\"$and\": [{\"createdAt\": {\"$date\": \"2026-11-23T10:00:00Z\"}}, {\"_id\": {\"$lt\": \"f-9\"}}]}]}");
        assertThat(query.getSkip()).isZero();
        assertThat(query.getLimit()).isEqualTo(20);
    }

    @Test
    void theCountUsesTheSameFilterWithoutPaging() {
        var query = ScanRepository.feedbackListQuery("acme", new FeedbackFilter("s-1", "a-1", null, null), null);

        assertThat(RenderedBson.filter(query, Feedback.class))
                .isEqualTo("{\"tenantId\": \"acme\", \"scanId\": \"s-1\", \"analystId\": \"a-1\"}");
        assertThat(query.getLimit()).isZero();
    }

    @Test
    void aRatingAFlagAndTheScansModelVersionAndVerdictAreSetAsStoredValues() {
        Document update = Document.parse(RenderedBson.update(ScanRepository.feedbackUpdate(new Feedback("f-1", "acme",
                "s-1", "a-1", Verdict.CLEAN, "fine", now, now, 4, FeedbackFlag.FALSE_POSITIVE.value(), "m-2026.11",
                Verdict.MALICIOUS)), Feedback.class));

        assertThat(update.get("$set", Document.class)).containsEntry("rating", 4).containsEntry("flag", "false_positive")
                .containsEntry("modelVersion", "m-2026.11").containsEntry("scanVerdict", "MALICIOUS")
                .containsEntry("correctedVerdict", "CLEAN").containsEntry("comment", "fine");
        assertThat(update).doesNotContainKey("$unset");
    }

    @Test
    void aSecondFeedbackWithoutRatingOrFlagRemovesThoseOfTheFirst() {
        Document update = Document.parse(RenderedBson.update(ScanRepository.feedbackUpdate(new Feedback("f-1", "acme",
                "s-1", "a-1", Verdict.CLEAN, null, now, now, null, null, "m-1", Verdict.CLEAN)), Feedback.class));

        assertThat(update.get("$unset", Document.class)).containsOnlyKeys("comment", "rating", "flag");
        assertThat(update.get("$set", Document.class)).doesNotContainKeys("comment", "rating", "flag");
    }

    @Test
    void feedbackOnAScanStoredWithoutAModelVersionNeverWritesANullTheValidatorWouldRefuse() {
        Document update = Document.parse(RenderedBson.update(ScanRepository.feedbackUpdate(new Feedback("f-1", "acme",
                "s-1", "a-1", Verdict.CLEAN, null, now, now, null, null, null, Verdict.MALICIOUS)), Feedback.class));

        assertThat(update.get("$set", Document.class)).doesNotContainKey("modelVersion").containsEntry("scanVerdict", "MALICIOUS");
        assertThat(update.get("$unset", Document.class)).containsKey("modelVersion");
        assertThat(update.toJson()).doesNotContain("null");
    }

    @Test
    void aCursorIsBoundToItsFilter() {
        assertThat(new FeedbackFilter("s-1", null, null, null).fingerprint())
                .isNotEqualTo(new FeedbackFilter(null, "s-1", null, null).fingerprint())
                .isNotEqualTo(new FeedbackFilter("s-1", null, from, null).fingerprint());
    }

    @Test
    void flagsReadBackFromTheirStoredValues() {
        for (FeedbackFlag flag : FeedbackFlag.values()) {
            assertThat(FeedbackFlag.ofStored(flag.value())).isSameAs(flag);
        }
        assertThat(FeedbackFlag.ofStored(null)).isNull();
    }
}
