package com.phishnet.store.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonDocument;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.junit.jupiter.api.Test;

/** The commands a restore sends, rendered as BSON without a server and compared in full, field order included. */
class RestoreCommandsTest {

    /**
     * A users collection's metadata as mongodump writes it (canonical Extended JSON), from a server that still listed
     * {@code ns} in its index specs: a validator, the {@code _id_} index, a unique, a partial index with a collation
     * and a TTL index.
     */
    static final String USERS_METADATA = """
            {"options": {"validator": {"$jsonSchema": {"bsonType": "object", "required": ["_id", "tenantId", "emailNormalized"],
                "properties": {"tenantId": {"bsonType": "string"}, "emailNormalized": {"bsonType": "string",
                "maxLength": {"$numberInt": "320"}}}}}, "validationLevel": "strict", "validationAction": "error"},
             "indexes": [
               {"v": {"$numberInt": "2"}, "key": {"_id": {"$numberInt": "1"}}, "name": "_id_", "ns": "phishnet.users"},
               {"v": {"$numberInt": "2"}, "unique": true, "key": {"tenantId": {"$numberInt": "1"},
                 "emailNormalized": {"$numberInt": "1"}}, "name": "users_tenant_email_unique", "ns": "phishnet.users"},
               {"v": {"$numberInt": "2"}, "key": {"tenantId": {"$numberInt": "1"}, "lastLoginAt": {"$numberInt": "-1"}},
                 "name": "users_tenant_active_login", "partialFilterExpression": {"status": "ACTIVE"},
                 "collation": {"locale": "en", "strength": {"$numberInt": "2"}}, "ns": "phishnet.users"},
               {"v": {"$numberInt": "2"}, "key": {"lockedUntil": {"$numberInt": "1"}}, "name": "users_lock_ttl",
                 "expireAfterSeconds": {"$numberInt": "0"}, "sparse": true, "ns": "phishnet.users"}],
             "uuid": "0679db720f4944de90ae27472664e94a", "collectionName": "users", "type": "collection"}
            """;

    static BsonDocument usersMetadata() {
        return BsonDocument.parse(USERS_METADATA);
    }

    /** A plain collection's listCollections entry. */
    static BsonDocument listed(String name) {
        BsonDocument listed = BsonDocument.parse("{name: '" + name + "', type: 'collection', options: {},"
                + " info: {readOnly: false}}");
        listed.getDocument("info").append("uuid", new BsonBinary(BsonBinarySubType.UUID_STANDARD,
                HexFormat.of().parseHex("0679db720f4944de90ae27472664e94a")));
        return listed;
    }

    /** A plain collection's only index. */
    static List<BsonDocument> indexes() {
        return List.of(BsonDocument.parse("{v: 2, key: {_id: 1}, name: '_id_'}"));
    }

    /** The users collection as listCollections lists it. */
    static BsonDocument listedUsers() {
        BsonDocument listed = listed("users");
        listed.put("options", usersMetadata().getDocument("options"));
        return listed;
    }

    /** The users collection's indexes as listIndexes lists them (no {@code ns} since 4.4). */
    static List<BsonDocument> usersIndexes() {
        return usersMetadata().getArray("indexes").stream().map(index -> {
            BsonDocument spec = index.asDocument().clone();
            spec.remove("ns");
            return spec;
        }).toList();
    }

    static String canonical(BsonDocument document) {
        return document.toJson(JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build());
    }

    @Test
    void createKeepsTheDumpedOptionsAndPassesTheIdIndexButNeverTheUuid() {
        BsonDocument expected = BsonDocument.parse("""
                {"create": "users", "validator": {"$jsonSchema": {"bsonType": "object",
                  "required": ["_id", "tenantId", "emailNormalized"], "properties": {"tenantId": {"bsonType": "string"},
                  "emailNormalized": {"bsonType": "string", "maxLength": 320}}}}, "validationLevel": "strict",
                  "validationAction": "error", "idIndex": {"key": {"_id": 1}, "name": "_id_"}}
                """);

        BsonDocument create = RestoreCommands.create("users", usersMetadata());

        assertThat(canonical(create)).isEqualTo(canonical(expected));
        assertThat(canonical(create)).doesNotContain("0679db720f4944de90ae27472664e94a");
    }

    @Test
    void createIndexesHasEveryIndexButTheIdIndexWithoutItsVersionOrNamespace() {
        BsonDocument expected = BsonDocument.parse("""
                {"createIndexes": "users", "indexes": [
                  {"unique": true, "key": {"tenantId": 1, "emailNormalized": 1}, "name": "users_tenant_email_unique"},
                  {"key": {"tenantId": 1, "lastLoginAt": -1}, "name": "users_tenant_active_login",
                    "partialFilterExpression": {"status": "ACTIVE"}, "collation": {"locale": "en", "strength": 2}},
                  {"key": {"lockedUntil": 1}, "name": "users_lock_ttl", "expireAfterSeconds": 0, "sparse": true}],
                 "ignoreUnknownIndexOptions": true}
                """);

        BsonDocument createIndexes = RestoreCommands.createIndexes("users", usersMetadata()).orElseThrow();

        assertThat(canonical(createIndexes)).isEqualTo(canonical(expected));
    }

    @Test
    void metadataAsTheBackupWritesItGivesTheSameCommands() {
        // Our own dumps (DumpLayout) list no ns; the commands must not depend on whether it was there.
        BsonDocument ours = BsonDocument.parse(new String(DumpLayout.metadata(listedUsers(), usersIndexes()),
                StandardCharsets.UTF_8));

        assertThat(canonical(RestoreCommands.create("users", ours)))
                .isEqualTo(canonical(RestoreCommands.create("users", usersMetadata())));
        assertThat(canonical(RestoreCommands.createIndexes("users", ours).orElseThrow()))
                .isEqualTo(canonical(RestoreCommands.createIndexes("users", usersMetadata()).orElseThrow()));
    }

    @Test
    void aCollectionWithOnlyItsIdIndexNeedsNoCreateIndexes() {
        BsonDocument metadata = BsonDocument.parse(new String(DumpLayout.metadata(listed("audit_logs"), indexes()),
                StandardCharsets.UTF_8));
        assertThat(RestoreCommands.createIndexes("audit_logs", metadata)).isEmpty();
        assertThat(canonical(RestoreCommands.create("audit_logs", metadata)))
                .isEqualTo(canonical(BsonDocument.parse("{create: 'audit_logs', idIndex: {key: {_id: 1}, name: '_id_'}}")));
    }

    @Test
    void autoIndexIdIsDroppedAsMongorestoreDropsIt() {
        BsonDocument metadata = BsonDocument.parse("{options: {autoIndexId: true, capped: true, size: 4096},"
                + " indexes: [{v: 2, key: {_id: 1}, name: '_id_'}], collectionName: 'events'}");
        assertThat(canonical(RestoreCommands.create("events", metadata))).isEqualTo(canonical(BsonDocument.parse(
                "{create: 'events', capped: true, size: 4096, idIndex: {key: {_id: 1}, name: '_id_'}}")));
    }

    @Test
    void aClusteredCollectionGetsNoIdIndexItsClusterAlreadyIsOne() {
        BsonDocument metadata = BsonDocument.parse("{options: {clusteredIndex: {v: 2, key: {_id: 1}, name: '_id_',"
                + " unique: true}}, indexes: [], collectionName: 'sessions'}");
        assertThat(RestoreCommands.create("sessions", metadata).containsKey("idIndex")).isFalse();
    }

    @Test
    void timeSeriesDocumentsGoIntoTheirBucketsUnderValidation() {
        BsonDocument metadata = BsonDocument.parse("{options: {timeseries: {timeField: 'timestamp', metaField: 'meta',"
                + " granularity: 'seconds', bucketMaxSpanSeconds: 3600}, expireAfterSeconds: 2592000},"
                + " indexes: [{v: 2, key: {'meta.name': 1, timestamp: 1}, name: 'metrics_name_time'}],"
                + " collectionName: 'system_metrics', type: 'timeseries'}");

        assertThat(RestoreCommands.documentsCollection("system_metrics", metadata))
                .isEqualTo("system.buckets.system_metrics");
        assertThat(RestoreCommands.bypassesValidation(metadata)).isFalse();
        assertThat(RestoreCommands.documentsCollection("users", usersMetadata())).isEqualTo("users");
        assertThat(RestoreCommands.bypassesValidation(usersMetadata())).isTrue();
    }

    @Test
    void theReportNamesEveryIndexAndWhetherAValidatorIsApplied() {
        assertThat(RestoreCommands.indexNames(usersMetadata())).containsExactly("_id_", "users_tenant_email_unique",
                "users_tenant_active_login", "users_lock_ttl");
        assertThat(RestoreCommands.hasValidator(usersMetadata())).isTrue();
        assertThat(RestoreCommands.hasValidator(BsonDocument.parse("{options: {validator: {}}, indexes: []}"))).isFalse();
    }

    @Test
    void jobsRunningWhenTheBackupWasTakenAreRestoredAsFailedWithTheFieldsTheJobsValidatorRequires() {
        var at = java.time.Instant.parse("2026-12-06T10:00:00Z");

        assertThat(RestoreRepository.runningJobs()).isEqualTo(new org.bson.Document("state", "RUNNING"));
        org.bson.Document set = RestoreRepository.interruptedByTheBackup(at).get("$set", org.bson.Document.class);
        assertThat(set.getString("state")).isEqualTo("FAILED");
        assertThat(set.getString("error")).hasSizeLessThanOrEqualTo(1000);
        assertThat(set.get("completedAt")).isEqualTo(java.util.Date.from(at)).isEqualTo(set.get("updatedAt"));
    }
}
