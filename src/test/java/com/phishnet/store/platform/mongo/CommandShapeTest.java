package com.phishnet.store.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

/** Which parts of each command the slow-command log shows, and that only keys and operators survive. */
class CommandShapeTest {

    @Test
    void aFindShowsItsFilterSortProjectionAndHintAndNothingElse() {
        String shape = shape("find", """
                {find: "scan_results", filter: {tenantId: "acme", verdict: {$in: ["MALICIOUS", "SUSPICIOUS"]},
                  scannedAt: {$gte: {$date: "2026-11-01T00:00:00Z"}, $lt: {$date: "2026-12-01T00:00:00Z"}}},
                 sort: {scannedAt: -1, _id: -1}, projection: {indicators: 0, score: 1}, hint: {tenantId: 1, scannedAt: -1},
                 limit: 50, skip: 100, batchSize: 50, readConcern: {level: "majority"}, maxTimeMS: 5000}
                """);

        assertThat(shape).isEqualTo("{filter: {tenantId: ?, verdict: {$in: [? (2)]}, scannedAt: {$gte: ?, $lt: ?}}, "
                + "sort: {scannedAt: -1, _id: -1}, projection: {indicators: 0, score: 1}, hint: {tenantId: 1, scannedAt: -1}}");
    }

    @Test
    void anAggregateShowsEachStageWithFieldPathsButNoValues() {
        String shape = shape("aggregate", """
                {aggregate: "scan_results", pipeline: [
                  {$match: {tenantId: "acme", sender: "boss@corp.example"}},
                  {$group: {_id: "$verdict", n: {$sum: 1}, top: {$max: "$score"}}},
                  {$sort: {n: -1}},
                  {$limit: 25},
                  {$lookup: {from: "emails_meta", localField: "emailId", foreignField: "_id", as: "email",
                     pipeline: [{$match: {subject: "Quarterly results"}}]}}],
                 cursor: {}}
                """);

        assertThat(shape).isEqualTo("{pipeline: [{$match: {tenantId: ?, sender: ?}}, "
                + "{$group: {_id: \"$verdict\", n: {$sum: 1}, top: {$max: \"$score\"}}}, {$sort: {n: -1}}, {$limit: ?}, "
                + "{$lookup: {from: ?, localField: ?, foreignField: ?, as: ?, pipeline: [{$match: {subject: ?}}]}}]}");
    }

    @Test
    void aChangeStreamShowsNoResumeToken() {
        String shape = shape("aggregate", """
                {aggregate: 1, pipeline: [{$changeStream: {allChangesForCluster: true,
                   resumeAfter: {_data: "8265A1B2C3000000012B022C0100296E5A1004"}}},
                  {$match: {operationType: {$in: ["insert"]}, "ns.coll": "scan_results"}}]}
                """);

        assertThat(shape).isEqualTo("{pipeline: [{$changeStream: {allChangesForCluster: true, resumeAfter: {_data: ?}}}, "
                + "{$match: {operationType: {$in: [?]}, ns.coll: ?}}]}");
        assertThat(CommandShape.collection("aggregate", BsonDocument.parse("{aggregate: 1}"))).isNull();
    }

    @Test
    void anUpdateShowsEachStatementsSelectorAndOperatorsWithRunsCounted() {
        String shape = shape("update", """
                {update: "users", ordered: true, updates: [
                  {q: {_id: "u-1", tenantId: "acme"}, u: {$inc: {"stats.total": 1, "stats.malicious": 1}, $max: {"stats.lastScanAt": 5}}},
                  {q: {_id: "u-2", tenantId: "acme"}, u: {$inc: {"stats.total": 1, "stats.malicious": 1}, $max: {"stats.lastScanAt": 6}}},
                  {q: {_id: "u-3"}, u: {$set: {status: "DISABLED"}}, upsert: true, multi: false}]}
                """);

        assertThat(shape).isEqualTo("{updates: [{q: {_id: ?, tenantId: ?}, u: {$inc: {stats.total: ?, stats.malicious: ?}, "
                + "$max: {stats.lastScanAt: ?}}} (2), {q: {_id: ?}, u: {$set: {status: ?}}, upsert: true, multi: false}]}");
    }

    @Test
    void anUpdatePipelineIsShownAsStages() {
        String shape = shape("update", """
                {update: "users", updates: [{q: {_id: "u-1"}, u: [{$set: {email: "erased-7f3a@invalid", n: {$add: ["$n", 5]}}}]}]}
                """);

        assertThat(shape).isEqualTo("{updates: [{q: {_id: ?}, u: [{$set: {email: ?, n: {$add: [\"$n\", ?]}}}]}]}");
    }

    @Test
    void aDeleteShowsItsSelectorsAndLimit() {
        assertThat(shape("delete", "{delete: 'scan_results', deletes: [{q: {tenantId: 'acme', _id: {$in: ['a', 'b', 'c']}}, limit: 0}]}"))
                .isEqualTo("{deletes: [{q: {tenantId: ?, _id: {$in: [? (3)]}}, limit: 0}]}");
    }

    @Test
    void anInsertShowsOnlyHowManyDocumentsItCarried() {
        assertThat(shape("insert", """
                {insert: "emails_meta", documents: [{_id: "e-1", subject: "Reset your password", sender: "a@b.example"},
                  {_id: "e-2", subject: "Hello", sender: "c@d.example"}]}
                """)).isEqualTo("{documents: 2}");
    }

    @Test
    void aFindAndModifyShowsQuerySortUpdateAndFlags() {
        assertThat(shape("findAndModify", """
                {findAndModify: "refresh_tokens", query: {tokenHash: "9f86d081884c7d659a2feaa0c55ad015", status: "ACTIVE"},
                 update: {$set: {status: "ROTATED", rotatedAt: {$date: "2026-11-01T00:00:00Z"}}}, new: true, upsert: false}
                """)).isEqualTo("{query: {tokenHash: ?, status: ?}, update: {$set: {status: ?, rotatedAt: ?}}, new: true, upsert: false}");
    }

    @Test
    void countAndDistinctShowTheirQueryAndField() {
        assertThat(shape("count", "{count: 'audit_logs', query: {tenantId: 'acme', actor: 'u-1'}}"))
                .isEqualTo("{query: {tenantId: ?, actor: ?}}");
        assertThat(shape("distinct", "{distinct: 'scan_results', key: 'sender', query: {tenantId: 'acme'}}"))
                .isEqualTo("{key: sender, query: {tenantId: ?}}");
    }

    @Test
    void commandsWithoutAQueryShowNothing() {
        assertThat(shape("getMore", "{getMore: {$numberLong: '123456789'}, collection: 'scan_results', batchSize: 10}"))
                .isEqualTo("{}");
        assertThat(shape("commitTransaction", "{commitTransaction: 1, txnNumber: 3, writeConcern: {w: 'majority'},"
                + " lsid: {id: 'x'}, $clusterTime: {}, $db: 'admin'}")).isEqualTo("{}");
        assertThat(shape("saslContinue", "{saslContinue: 1, payload: 'c2VjcmV0'}")).isEqualTo("{}");
    }

    @Test
    void keysThatLookLikeDataAreHiddenToo() {
        assertThat(CommandShape.key("stats.total")).isEqualTo("stats.total");
        assertThat(CommandShape.key("$set")).isEqualTo("$set");
        assertThat(CommandShape.key("indicators.$[hit].weight")).isEqualTo("indicators.$[hit].weight");
        assertThat(CommandShape.key("byAddress.boss@corp.example")).isEqualTo("byAddress.?");
        assertThat(CommandShape.key("seen.9f86d081884c7d659a2f")).isEqualTo("seen.?");
        assertThat(CommandShape.key("seen.a9f86d081884c7d659a2f")).isEqualTo("seen.?");
        assertThat(CommandShape.key("Quarterly results")).isEqualTo("?");
    }

    @Test
    void theCollectionIsTakenFromTheCommandOrGetMore() {
        assertThat(CommandShape.collection("find", BsonDocument.parse("{find: 'scan_results'}"))).isEqualTo("scan_results");
        assertThat(CommandShape.collection("getMore", BsonDocument.parse("{getMore: 1, collection: 'audit_logs'}")))
                .isEqualTo("audit_logs");
        assertThat(CommandShape.collection("commitTransaction", BsonDocument.parse("{commitTransaction: 1}"))).isNull();
    }

    @Test
    void matchFiltersInsideStagesHideTheirValuesLikeAMatch() {
        BsonDocument command = BsonDocument.parse("""
                {aggregate: "scans", pipeline: [
                  {$graphLookup: {from: "users", startWith: "$userId", connectFromField: "a", connectToField: "b", as: "c",
                                  restrictSearchWithMatch: {token: "$secretTok", admin: true, n: 1}}},
                  {$geoNear: {near: [0, 0], distanceField: "d", query: {flag: false, code: "$xyz"}}}]}""");

        String shape = CommandShape.of("aggregate", command);

        assertThat(shape).doesNotContain("secretTok").doesNotContain("xyz").doesNotContain("true").doesNotContain("false")
                .contains("restrictSearchWithMatch: {token: ?, admin: ?, n: ?}").contains("query: {flag: ?, code: ?}");
    }

    @Test
    void aLongInListIsCountedNotListed() {
        BsonArray values = new BsonArray();
        for (int i = 0; i < 50_000; i++) {
            values.add(new BsonString("user-" + i + "@corp.example"));
        }
        BsonDocument command = new BsonDocument("find", new BsonString("users"))
                .append("filter", new BsonDocument("email", new BsonDocument("$in", values)));

        // The first 100 are looked at, the rest only counted: the cost does not grow with the list.
        assertThat(CommandShape.of("find", command)).isEqualTo("{filter: {email: {$in: [? (100), ... (49900 more)]}}}");
    }

    @Test
    void manyDistinctBranchesAreCutAndTheRestCounted() {
        BsonArray branches = new BsonArray();
        for (int i = 0; i < 30; i++) {
            branches.add(new BsonDocument("f" + i, new BsonInt32(i)));
        }
        BsonDocument command = new BsonDocument("find", new BsonString("users"))
                .append("filter", new BsonDocument("$or", branches));

        assertThat(CommandShape.of("find", command)).endsWith("{f9: ?}, ... (20 more)]}}");
    }

    @Test
    void deepOrHugeDocumentsStayBounded() {
        BsonDocument deep = new BsonDocument("leaf", new BsonString("secret"));
        for (int i = 0; i < 100; i++) {
            deep = new BsonDocument("level", deep);
        }
        String deepShape = CommandShape.of("find", new BsonDocument("find", new BsonString("users")).append("filter", deep));
        assertThat(deepShape).contains("...").doesNotContain("secret", "leaf");

        BsonDocument wide = new BsonDocument();
        for (int i = 0; i < 5_000; i++) {
            wide.append("field" + i, new BsonDocument("$eq", new BsonString("v")));
        }
        String wideShape = CommandShape.of("find", new BsonDocument("find", new BsonString("users")).append("filter", wide));
        assertThat(wideShape.length()).isLessThanOrEqualTo(CommandShape.MAX_LENGTH + CommandShape.MORE.length());
    }

    private static String shape(String name, String json) {
        return CommandShape.of(name, BsonDocument.parse(json));
    }
}
