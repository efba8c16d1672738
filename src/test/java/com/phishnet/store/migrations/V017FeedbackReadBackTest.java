package com.phishnet.store.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import com.mongodb.client.model.IndexModel;
import com.phishnet.store.scans.Feedback;
import com.phishnet.store.scans.FeedbackFlag;
import com.phishnet.store.scans.Verdict;
import com.phishnet.store.support.JsonSchemaSubset;
import com.phishnet.store.support.RenderedBson;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** V017: the widened feedback validator, the keyset indexes, and the backfill pipeline. */
class V017FeedbackReadBackTest {

    private final Instant now = Instant.parse("2026-11-23T10:00:00Z");

    private Document written(Integer rating, FeedbackFlag flag, String modelVersion, Verdict scanVerdict) {
        return RenderedBson.document(new Feedback("f-1", "acme", "s-1", "a-1", Verdict.CLEAN, "ok", now, now, rating,
                flag == null ? null : flag.value(), modelVersion, scanVerdict));
    }

    @Test
    void feedbackWithRatingFlagAndTheScansFieldsSatisfiesTheValidator() {
        for (FeedbackFlag flag : FeedbackFlag.values()) {
            assertThat(JsonSchemaSubset.violations(V017_FeedbackReadBack.feedback(),
                    written(5, flag, "m-2026.11", Verdict.MALICIOUS))).as(flag.value()).isEmpty();
        }
    }

    @Test
    void feedbackWithoutTheOptionalFieldsWritesNoneAndSatisfiesTheValidator() {
        Document document = written(null, null, null, null);

        assertThat(document).doesNotContainKeys("rating", "flag", "modelVersion", "scanVerdict");
        assertThat(JsonSchemaSubset.violations(V017_FeedbackReadBack.feedback(), document)).isEmpty();
    }

    @Test
    void aRatingOutsideOneToFiveIsRejected() {
        assertThat(JsonSchemaSubset.violations(V017_FeedbackReadBack.feedback(), written(0, null, "m", Verdict.CLEAN)))
                .containsExactly(".rating: below 1");
        assertThat(JsonSchemaSubset.violations(V017_FeedbackReadBack.feedback(), written(6, null, "m", Verdict.CLEAN)))
                .containsExactly(".rating: above 5");
    }

    @Test
    void aFlagWrittenByConstantNameIsRejected() {
        Document document = written(null, null, "m", Verdict.CLEAN).append("flag", "FALSE_POSITIVE");

        assertThat(JsonSchemaSubset.violations(V017_FeedbackReadBack.feedback(), document)).singleElement()
                .asString().startsWith(".flag:");
    }

    @Test
    void theFieldsV005KnewAreKeptAndV005WouldNotKnowTheNewOnes() {
        Document before = V005_ReputationOwnersAndIdentifierBounds.feedback().get("$jsonSchema", Document.class);
        Document after = V017_FeedbackReadBack.feedback().get("$jsonSchema", Document.class);

        assertThat(after.get("properties", Document.class)).containsAllEntriesOf(before.get("properties", Document.class));
        assertThat(after.get("required")).isEqualTo(before.get("required"));
        assertThat(before.get("properties", Document.class)).doesNotContainKeys("rating", "flag", "modelVersion",
                "scanVerdict");
    }

    @Test
    void theServersCurrentValidatorIsWidenedNotReplaced() {
        Document current = V005_ReputationOwnersAndIdentifierBounds.feedback();
        Document schema = new Document(current.get("$jsonSchema", Document.class));
        Document properties = new Document(schema.get("properties", Document.class)).append("addedSince",
                new Document("bsonType", "string"));
        Document widened = V017_FeedbackReadBack.feedback(new Document("$jsonSchema",
                schema.append("properties", properties)));

        assertThat(widened.get("$jsonSchema", Document.class).get("properties", Document.class))
                .containsKeys("addedSince", "rating", "flag", "modelVersion", "scanVerdict");
    }

    @Test
    void bothListIndexesEndInTheListsSortOrder() {
        List<IndexModel> indexes = V017_FeedbackReadBack.indexes();

        assertThat(indexes).extracting(index -> index.getOptions().getName())
                .containsExactly("feedback_tenant_scan_created", "feedback_tenant_analyst_created_id");
        assertThat(indexes).extracting(index -> index.getKeys().toBsonDocument().toJson()).containsExactly(
                "{\"tenantId\": 1, \"scanId\": 1, \"createdAt\": -1, \"_id\": -1}",
                "{\"tenantId\": 1, \"analystId\": 1, \"createdAt\": -1, \"_id\": -1}");
    }

    @Test
    void theBackfillSelectsOnlyFeedbackStillLackingTheScansVerdict() {
        assertThat(V017_FeedbackReadBack.backfill().get(0).toJson())
                .isEqualTo("{\"$match\": {\"scanVerdict\": {\"$exists\": false}}}");
    }

    @Test
    void theBackfillLooksTheScanUpInTheFeedbacksOwnTenant() {
        Document lookup = V017_FeedbackReadBack.backfill().get(1).get("$lookup", Document.class);

        assertThat(lookup.getString("from")).isEqualTo("scan_results");
        assertThat(lookup.get("let", Document.class).toJson()).isEqualTo("{\"tenant\": \"$tenantId\", \"scan\": \"$scanId\"}");
        assertThat(lookup.getList("pipeline", Document.class).get(0).toJson()).isEqualTo("{\"$match\": {\"$expr\": "
                + "{\"$and\": [{\"$eq\": [\"$_id\", \"$$scan\"]}, {\"$eq\": [\"$tenantId\", \"$$tenant\"]}]}}}");
    }

    @Test
    void theBackfillCopiesTheOriginalVerdictNotTheEffectiveOneAndNeverCreatesADocument() {
        List<Document> pipeline = V017_FeedbackReadBack.backfill();

        assertThat(pipeline.get(2).toJson()).isEqualTo("{\"$unwind\": \"$scan\"}");
        assertThat(pipeline.get(3).toJson()).isEqualTo("{\"$project\": {\"_id\": 1, \"tenantId\": 1, \"scanId\": 1, "
                + "\"analystId\": 1, \"modelVersion\": \"$scan.modelVersion\", \"scanVerdict\": \"$scan.verdict\"}}");
        assertThat(pipeline.get(4).toJson()).isEqualTo("{\"$merge\": {\"into\": \"feedback\", \"on\": [\"tenantId\", "
                + "\"scanId\", \"analystId\"], \"whenMatched\": \"merge\", \"whenNotMatched\": \"discard\"}}");
        assertThat(pipeline).hasSize(5);
    }
}
