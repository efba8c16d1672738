package com.phishnet.store.migrations;

import static com.mongodb.client.model.Indexes.ascending;
import static com.mongodb.client.model.Indexes.compoundIndex;
import static com.mongodb.client.model.Indexes.descending;
import static com.phishnet.store.migrations.JsonSchema.enumOf;
import static com.phishnet.store.migrations.JsonSchema.string;

import java.util.List;

import com.mongodb.MongoCommandException;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.phishnet.store.scans.FeedbackFields;
import com.phishnet.store.scans.ScanFields;
import io.mongock.api.annotations.ChangeUnit;
import io.mongock.api.annotations.Execution;
import io.mongock.api.annotations.RollbackExecution;
import org.bson.Document;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Feedback read-back (issue 14, item 5):
 * <ul>
 * <li>the feedback validator, widened from the one the server has now (as V013 does), accepts an optional
 * {@code rating} (whole number 1-5), an optional {@code flag} ({@link FeedbackFields#FLAGS}) and the scan's
 * {@code modelVersion} and original verdict {@code scanVerdict}, copied onto each feedback when it is written;</li>
 * <li>indexes for keyset pages of one scan's and one analyst's feedback, both ending (createdAt desc, _id desc) as
 * the lists sort (V002's feedback_tenant_analyst_created lacks _id, so a page of equal times needed a sort);</li>
 * <li>a backfill of {@code modelVersion} and {@code scanVerdict} on feedback written before: one aggregation that
 * looks each scan up and $merges the two fields into its feedback. It selects only feedback still lacking
 * {@code scanVerdict}, so a re-run completes an interrupted one and otherwise changes nothing; feedback whose scan
 * is gone keeps lacking them and is counted under "unknown" by the agreement statistics.</li>
 * </ul>
 * Only listCollections, collMod, createIndexes and aggregate with $lookup and $merge (find on both collections,
 * insert and update on feedback): within the migrator's roles (MigrationPrivileges).
 */
@ChangeUnit(id = "V017-feedback-read-back", order = "0017", author = "phishnet-store", transactional = false)
public class V017_FeedbackReadBack {

    /**
     * The fields $merge matches each feedback on: those of the unique feedback_tenant_scan_analyst_unique index, which
     * $merge requires for its "on" fields, and which hold the shard key of feedback (tenantId, scanId; ShardKeys), so
     * a re-run on a sharded cluster routes every write to its shard. Each feedback still matches only itself. (It
     * matched on _id when V017 first shipped; the result is the same.)
     */
    static final List<String> MERGE_ON = List.of(FeedbackFields.TENANT_ID, FeedbackFields.SCAN_ID,
            FeedbackFields.ANALYST_ID);

    /** V002's (tenantId, analystId, createdAt desc), which the (..., _id desc) index of this unit supersedes. */
    static final String SUPERSEDED_ANALYST_INDEX = "feedback_tenant_analyst_created";

    @Execution
    public void apply(MongoDatabase database) {
        Document current = V006_IdempotentCreates.currentValidator(database, FeedbackFields.COLLECTION);
        Mono.from(database.runCommand(V010_Backups.collMod(FeedbackFields.COLLECTION, feedback(current)))).block();
        Flux.from(database.getCollection(FeedbackFields.COLLECTION).createIndexes(indexes())).then().block();
        // V002's analyst index is a prefix of the new one: it would cost every write and offer the planner a
        // plan that sorts in memory. Dropped only once its successor is built.
        Mono.from(database.getCollection(FeedbackFields.COLLECTION).dropIndex(SUPERSEDED_ANALYST_INDEX))
                .onErrorResume(MongoCommandException.class, missing -> missing.getErrorCode()
                        == V005_ReputationOwnersAndIdentifierBounds.INDEX_NOT_FOUND ? Mono.empty() : Mono.error(missing))
                .block();
        Mono.from(database.getCollection(FeedbackFields.COLLECTION).aggregate(backfill()).toCollection()).block();
    }

    @RollbackExecution
    public void rollback(MongoDatabase database) {
        // The validator only widens what was accepted; indexes and backfilled fields are reused by a re-run.
    }

    /** V005's feedback validator (the one in force before) plus the V017 fields. */
    static Document feedback() {
        return feedback(null);
    }

    /** {@code current} (V005's validator when there is none) plus rating, flag, modelVersion and scanVerdict. */
    static Document feedback(Document current) {
        return JsonSchema.widened(current, V005_ReputationOwnersAndIdentifierBounds.feedback(), properties -> {
            properties.put(FeedbackFields.RATING, new Document("bsonType", List.of("int", "long"))
                    .append("minimum", FeedbackFields.RATING_MIN).append("maximum", FeedbackFields.RATING_MAX));
            properties.put(FeedbackFields.FLAG, enumOf(FeedbackFields.FLAGS));
            // The bounds of the ingestion request's modelVersion (ScanRequests.ResultInput).
            properties.put(FeedbackFields.MODEL_VERSION, string(1, 100));
            properties.put(FeedbackFields.SCAN_VERDICT, enumOf(ScanFields.VERDICTS));
        });
    }

    static List<IndexModel> indexes() {
        return List.of(
                new IndexModel(compoundIndex(ascending(FeedbackFields.TENANT_ID, FeedbackFields.SCAN_ID),
                        descending(FeedbackFields.CREATED_AT, FeedbackFields.ID)),
                        new IndexOptions().name(FeedbackFields.BY_SCAN_INDEX)),
                new IndexModel(compoundIndex(ascending(FeedbackFields.TENANT_ID, FeedbackFields.ANALYST_ID),
                        descending(FeedbackFields.CREATED_AT, FeedbackFields.ID)),
                        new IndexOptions().name(FeedbackFields.BY_ANALYST_INDEX)));
    }

    /**
     * Feedback without {@code scanVerdict}, joined to its scan in the same tenant (served by scan_results' _id
     * index), reduced to _id, the unique (tenantId, scanId, analystId) and the two copied fields, merged into the same
     * feedback document. A feedback whose scan is gone leaves the pipeline at the $unwind; whenNotMatched "discard"
     * never creates a document.
     */
    static List<Document> backfill() {
        Document lookup = new Document("from", ScanFields.COLLECTION)
                .append("let", new Document("tenant", "$" + FeedbackFields.TENANT_ID)
                        .append("scan", "$" + FeedbackFields.SCAN_ID))
                .append("pipeline", List.of(
                        new Document("$match", new Document("$expr", new Document("$and", List.of(
                                new Document("$eq", List.of("$" + ScanFields.ID, "$$scan")),
                                new Document("$eq", List.of("$" + ScanFields.TENANT_ID, "$$tenant")))))),
                        new Document("$project", new Document(ScanFields.MODEL_VERSION, 1)
                                .append(ScanFields.VERDICT, 1))))
                .append("as", "scan");
        return List.of(
                new Document("$match", new Document(FeedbackFields.SCAN_VERDICT, new Document("$exists", false))),
                new Document("$lookup", lookup),
                new Document("$unwind", "$scan"),
                new Document("$project", new Document(FeedbackFields.ID, 1)
                        .append(FeedbackFields.TENANT_ID, 1).append(FeedbackFields.SCAN_ID, 1)
                        .append(FeedbackFields.ANALYST_ID, 1)
                        .append(FeedbackFields.MODEL_VERSION, "$scan." + ScanFields.MODEL_VERSION)
                        .append(FeedbackFields.SCAN_VERDICT, "$scan." + ScanFields.VERDICT)),
                new Document("$merge", new Document("into", FeedbackFields.COLLECTION).append("on", MERGE_ON)
                        .append("whenMatched", "merge").append("whenNotMatched", "discard")));
    }
}
