package com.phishnet.store.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.mongodb.client.model.IndexModel;
import com.phishnet.store.analytics.MetricFields;
import com.phishnet.store.streams.StreamTicketFields;
import com.phishnet.store.support.MongoTestDatabase;
import com.phishnet.store.support.RequiresRealMongo;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The migrations against a real replica set: what they create, with which options, and that a rerun is a no-op. */
@RequiresRealMongo
class MigrationsIT {

    private MongoTestDatabase db;

    @BeforeEach
    void migrate() {
        db = MongoTestDatabase.create();
        MigrationRunner.migrate(db.client(), db.name(), Clock.systemUTC());
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void createsEveryCollectionWithItsValidator() {
        Map<String, Document> collections = collectionInfos();

        for (V001_CreateCollections.CollectionDefinition definition : V001_CreateCollections.definitions()) {
            Document info = collections.get(definition.name());
            assertThat(info).as(definition.name()).isNotNull();
            // V004 and V008 replaced the scan validator, V005 those of reputation and feedback (V017 feedback again), V006 that of users,
            // V010 that of backups, V012 that of audit_logs; checked on their own below.
            if (definition.validator() != null && !List.of("scan_results", "reputation_cache", "feedback", "users",
                    "backups", "audit_logs").contains(definition.name())) {
                Document options = info.get("options", Document.class);
                assertThat(options.get("validator", Document.class)).as(definition.name())
                        .isEqualTo(definition.validator());
                assertThat(options.getString("validationLevel")).isEqualTo("strict");
                assertThat(options.getString("validationAction")).isEqualTo("error");
            }
        }
    }

    @Test
    void createsTheJobsCollectionWithItsValidatorAndIndexes() {
        Document options = collectionInfos().get("jobs").get("options", Document.class);

        // V007 replaced V003's validator.
        assertThat(options.get("validator", Document.class)).isEqualTo(V007_JobScopes.jobs());
        assertThat(indexesOf("jobs")).containsKey("jobs_type_started");
        assertThat(indexesOf("jobs").get("jobs_one_running_service_job_per_type").get("partialFilterExpression"))
                .isEqualTo(Document.parse("{state: 'RUNNING', scope: 'SERVICE'}"));
    }

    @Test
    void v004AndV008ExtendTheScanValidatorAndV004AddsTenantStats() {
        Map<String, Document> collections = collectionInfos();

        assertThat(collections.get("scan_results").get("options", Document.class).get("validator", Document.class))
                .isEqualTo(V008_ThreatCorrections.scans());
        assertThat(collections.get("tenant_stats").get("options", Document.class).get("validator", Document.class))
                .isEqualTo(V004_ScanIngestion.tenantStats());
        assertThat(indexesOf("scan_results")).containsKey("scans_tenant_sender_scanned");
    }

    @Test
    void v005GivesReputationOwnersAndFeedbackTheBoundsOfTokenSubjects() {
        Map<String, Document> collections = collectionInfos();

        assertThat(collections.get("reputation_cache").get("options", Document.class).get("validator", Document.class))
                .isEqualTo(V005_ReputationOwnersAndIdentifierBounds.reputation());
        // V017 widened the feedback validator since; it keeps every property V005 bounded.
        Document feedbackProperties = collections.get("feedback").get("options", Document.class)
                .get("validator", Document.class).get("$jsonSchema", Document.class).get("properties", Document.class);
        assertThat(feedbackProperties).containsAllEntriesOf(V005_ReputationOwnersAndIdentifierBounds.feedback()
                .get("$jsonSchema", Document.class).get("properties", Document.class));
        Map<String, Document> indexes = indexesOf("reputation_cache");
        assertThat(indexes).doesNotContainKey(V005_ReputationOwnersAndIdentifierBounds.OLD_SUBJECT_INDEX)
                .containsKey("reputation_expiry_ttl");
        Document tenantIndex = indexes.get(V005_ReputationOwnersAndIdentifierBounds.TENANT_SUBJECT_INDEX);
        assertThat(tenantIndex.get("key", Document.class).keySet()).containsExactly("tenantId", "subjectType", "subject");
        assertThat(tenantIndex.getBoolean("unique", false)).isFalse();
    }

    @Test
    void v005DeletesReputationEntriesOfTheOldShapeAndKeepsNewOnes() {
        MongoTestDatabase before = MongoTestDatabase.create();
        try {
            new V001_CreateCollections().createCollections(before.database());
            new V002_CreateIndexes().createIndexes(before.database());
            Document old = new Document("_id", "DOMAIN:phish.example").append("subjectType", "DOMAIN")
                    .append("subject", "phish.example").append("verdict", "CLEAN").append("score", 0.1)
                    .append("source", "any tenant").append("fetchedAt", new java.util.Date())
                    .append("expiresAt", new java.util.Date(System.currentTimeMillis() + 3_600_000));
            Mono.from(before.database().getCollection("reputation_cache").insertOne(old)).block();

            new V005_ReputationOwnersAndIdentifierBounds().apply(before.database());

            assertThat(Mono.from(before.database().getCollection("reputation_cache").countDocuments()).block()).isZero();
            Document current = ValidatorCases.base("reputation_cache");
            Mono.from(before.database().getCollection("reputation_cache").insertOne(current)).block();
            new V005_ReputationOwnersAndIdentifierBounds().apply(before.database());
            assertThat(Mono.from(before.database().getCollection("reputation_cache").countDocuments()).block())
                    .isEqualTo(1);
        }
        finally {
            before.close();
        }
    }

    @Test
    void createsSystemMetricsAsExpiringTimeSeries() {
        Document info = collectionInfos().get(MetricFields.COLLECTION);

        assertThat(info.getString("type")).isEqualTo("timeseries");
        Document options = info.get("options", Document.class);
        Document timeseries = options.get("timeseries", Document.class);
        assertThat(timeseries.getString("timeField")).isEqualTo(MetricFields.TIMESTAMP);
        assertThat(timeseries.getString("metaField")).isEqualTo(MetricFields.META);
        assertThat(timeseries.getString("granularity")).isEqualTo("seconds");
        assertThat(((Number) options.get("expireAfterSeconds")).longValue())
                .isEqualTo(V001_CreateCollections.METRICS_EXPIRE_AFTER_SECONDS);
    }

    @Test
    void createsEveryIndexWithItsOptions() {
        V002_CreateIndexes.indexes().forEach((collection, expected) -> {
            Map<String, Document> actual = indexesOf(collection);
            for (IndexModel model : expected) {
                if (model.getOptions().getName().equals(V005_ReputationOwnersAndIdentifierBounds.OLD_SUBJECT_INDEX)) {
                    continue; // dropped by V005
                }
                Document index = actual.get(model.getOptions().getName());
                assertThat(index).as(collection + "." + model.getOptions().getName()).isNotNull();
                Document keys = Document.parse(model.getKeys().toBsonDocument().toJson());
                if (keys.containsValue("text")) {
                    // The server stores text keys as _fts/_ftsx and lists the fields under "weights".
                    keys.entrySet().stream().filter(key -> "text".equals(key.getValue()))
                            .forEach(key -> assertThat(index.get("weights", Document.class)).containsKey(key.getKey()));
                    assertThat(index.getString("default_language")).isEqualTo("none");
                }
                else {
                    assertThat(index.get("key", Document.class)).isEqualTo(keys);
                }
                assertThat(index.getBoolean("unique", false)).isEqualTo(model.getOptions().isUnique());
            }
        });
    }

    @Test
    void ttlIndexesExpireAtTheStoredInstant() {
        assertThat(indexesOf("refresh_tokens").get("refresh_tokens_expiry_ttl").get("expireAfterSeconds"))
                .isIn(0, 0L);
        assertThat(indexesOf("reputation_cache").get("reputation_expiry_ttl").get("expireAfterSeconds"))
                .isIn(0, 0L);
    }

    @Test
    void partialUniqueIndexesCarryTheirFilters() {
        assertThat(indexesOf("scan_results").get("scans_tenant_idempotency_unique").get("partialFilterExpression"))
                .isEqualTo(Document.parse("{idempotencyKey: {$exists: true}}"));
        assertThat(indexesOf("oauth_credentials").get("credentials_tenant_user_provider_active_unique")
                .get("partialFilterExpression"))
                .isEqualTo(Document.parse("{status: 'ACTIVE'}"));
    }

    @Test
    void v006ExtendsTheUsersValidatorAndAddsTheIdempotencyKeyIndex() {
        Document options = collectionInfos().get("users").get("options", Document.class);

        // V013 replaced it again, extending V006's.
        assertThat(options.get("validator", Document.class)).isEqualTo(V013_UserErasure.users());
        assertThat(options.getString("validationLevel")).isEqualTo("strict");
        Document index = indexesOf("users").get(V006_IdempotentCreates.USERS_IDEMPOTENCY_INDEX);
        assertThat(index.getBoolean("unique")).isTrue();
        assertThat(index.get("partialFilterExpression", Document.class))
                .isEqualTo(new Document("idempotencyKey", new Document("$exists", true)));
    }

    @Test
    void v009CreatesStreamTicketsWithItsValidatorAndAnExpiryIndex() {
        Document options = collectionInfos().get(StreamTicketFields.COLLECTION).get("options", Document.class);

        assertThat(options.get("validator", Document.class)).isEqualTo(V009_StreamTickets.streamTickets());
        assertThat(options.getString("validationLevel")).isEqualTo("strict");
        assertThat(options.getString("validationAction")).isEqualTo("error");
        Document expiry = indexesOf(StreamTicketFields.COLLECTION).get(V009_StreamTickets.EXPIRY_INDEX);
        assertThat(expiry.get("key", Document.class)).isEqualTo(new Document(StreamTicketFields.EXPIRES_AT, 1));
        assertThat(expiry.get("expireAfterSeconds")).isIn(0, 0L);
    }

    @Test
    void v010GivesBackupsTheirValidatorLetsJobsBeBackupsAndCreatesLeases() {
        Map<String, Document> infos = collectionInfos();

        assertThat(infos.get(com.phishnet.store.backup.BackupFields.COLLECTION).get("options", Document.class)
                .get("validator", Document.class)).isEqualTo(V010_Backups.backups());
        assertThat(infos.get(com.phishnet.store.jobs.JobFields.COLLECTION).get("options", Document.class)
                .get("validator", Document.class)).isEqualTo(V007_JobScopes.jobs());
        Document leases = infos.get(com.phishnet.store.platform.mongo.LeaseFields.COLLECTION).get("options", Document.class);
        assertThat(leases.get("validator", Document.class)).isEqualTo(V010_Backups.leases());
        assertThat(leases.getString("validationLevel")).isEqualTo("strict");
        // A BACKUP job is accepted by the server's validator now (V003's enum knew KEY_ROTATION only).
        Mono.from(db.database().getCollection(com.phishnet.store.jobs.JobFields.COLLECTION).insertOne(
                new Document("_id", "j-backup").append("type", "BACKUP").append("scope", "SERVICE")
                        .append("state", "COMPLETED").append("requestedBy", "ops-1")
                        .append("startedAt", new java.util.Date()).append("updatedAt", new java.util.Date())
                        .append("processed", 0L).append("changed", 0L))).block();
        Mono.from(db.database().getCollection(com.phishnet.store.jobs.JobFields.COLLECTION)
                .deleteOne(new Document("_id", "j-backup"))).block();
    }

    @Test
    void v011CreatesRetentionPoliciesAndLegalHoldsWithTheirValidatorsAndTheHoldsIndex() {
        Map<String, Document> infos = collectionInfos();

        assertThat(infos.get(com.phishnet.store.retention.RetentionFields.POLICIES).get("options", Document.class)
                .get("validator", Document.class)).isEqualTo(V011_RetentionPoliciesAndLegalHolds.policies());
        assertThat(infos.get(com.phishnet.store.retention.RetentionFields.HOLDS).get("options", Document.class)
                .get("validator", Document.class)).isEqualTo(V011_RetentionPoliciesAndLegalHolds.holds());
        Document index = indexesOf(com.phishnet.store.retention.RetentionFields.HOLDS)
                .get(com.phishnet.store.retention.RetentionFields.HOLDS_BY_TENANT_INDEX);
        assertThat(index.get("key", Document.class)).isEqualTo(new Document("tenantId", 1).append("state", 1)
                .append("placedAt", -1).append("_id", -1));
    }

    @Test
    void v013LetsUsersBeErasedAndCreatesTheRegisterWithItsUniqueIndexAndTheByUserIndexes() {
        Map<String, Document> infos = collectionInfos();

        assertThat(infos.get("users").get("options", Document.class).get("validator", Document.class))
                .isEqualTo(V013_UserErasure.users());
        Document register = infos.get(com.phishnet.store.erasure.ErasureFields.COLLECTION).get("options", Document.class);
        assertThat(register.get("validator", Document.class)).isEqualTo(V013_UserErasure.erasures());
        assertThat(register.getString("validationLevel")).isEqualTo("strict");
        Document unique = indexesOf(com.phishnet.store.erasure.ErasureFields.COLLECTION)
                .get(com.phishnet.store.erasure.ErasureFields.BY_USER_INDEX);
        assertThat(unique.get("key", Document.class)).isEqualTo(new Document("tenantId", 1).append("userId", 1));
        assertThat(unique.getBoolean("unique")).isTrue();
        assertThat(indexesOf("emails_meta").get(V013_UserErasure.EMAILS_BY_USER_INDEX).get("key", Document.class))
                .isEqualTo(new Document("tenantId", 1).append("userId", 1));
        assertThat(indexesOf("oauth_credentials").get(V013_UserErasure.CREDENTIALS_BY_USER_INDEX).get("key", Document.class))
                .isEqualTo(new Document("tenantId", 1).append("userId", 1));
        // The server's validator takes an erased user now.
        Mono.from(db.database().getCollection("users").insertOne(new Document("_id", "u-erased").append("tenantId", "acme")
                .append("email", "erased-u-erased@erased.invalid").append("emailNormalized", "erased-u-erased@erased.invalid")
                .append("role", "USER").append("status", "ERASED").append("erasedAt", new java.util.Date())
                .append("createdAt", new java.util.Date()))).block();
    }

    @Test
    void v012WidensTheAuditValidatorToV2AndCreatesCheckpoints() {
        Map<String, Document> infos = collectionInfos();

        Document audit = infos.get(com.phishnet.store.audit.AuditFields.COLLECTION).get("options", Document.class);
        assertThat(audit.get("validator", Document.class)).isEqualTo(V012_AuditChainV2AndCheckpoints.audit());
        assertThat(audit.getString("validationLevel")).isEqualTo("strict");
        Document checkpoints = infos.get(com.phishnet.store.audit.AuditFields.CHECKPOINTS).get("options", Document.class);
        assertThat(checkpoints.get("validator", Document.class)).isEqualTo(V012_AuditChainV2AndCheckpoints.checkpoints());
        assertThat(checkpoints.getString("validationLevel")).isEqualTo("strict");
        assertThat(checkpoints.getString("validationAction")).isEqualTo("error");
    }

    @Test
    void theServerRejectsAnErasedAuditEntryThatKeptItsIpAndAMixOfV1AndV2() {
        var logs = db.database().getCollection(com.phishnet.store.audit.AuditFields.COLLECTION);
        Document base = new Document("_id", "a-1").append("tenantId", "acme").append("seq", 1L)
                .append("eventType", "USER_CREATED").append("outcome", "SUCCESS").append("at", new java.util.Date())
                .append("hash", "a".repeat(64));
        Document erasedWithIp = new Document(base).append("v", 2).append("personalDigest", "b".repeat(64))
                .append("erasedAt", new java.util.Date()).append("ip", "203.0.113.9");
        Document v1WithSalt = new Document(base).append("salt", "c".repeat(64));

        for (Document invalid : List.of(erasedWithIp, v1WithSalt)) {
            assertThatThrownBy(() -> Mono.from(logs.insertOne(invalid)).block())
                    .hasMessageContaining("Document failed validation");
        }
        Mono.from(logs.insertOne(new Document(base).append("v", 2).append("salt", "c".repeat(64))
                .append("personalDigest", "b".repeat(64)).append("ip", "203.0.113.9"))).block();
    }

    @Test
    void v014CreatesRetentionRunsAndLetsJobsAndBackupsRecordRetention() {
        Map<String, Document> infos = collectionInfos();

        assertThat(infos.get(com.phishnet.store.retention.RetentionFields.RUNS).get("options", Document.class)
                .get("validator", Document.class)).isEqualTo(V014_RetentionRuns.runs());
        assertThat(indexesOf(com.phishnet.store.retention.RetentionFields.RUNS)
                .get(com.phishnet.store.retention.RetentionFields.RUNS_BY_START_INDEX).get("key", Document.class))
                .isEqualTo(new Document("startedAt", -1).append("_id", -1));
        assertThat(indexesOf(com.phishnet.store.retention.RetentionFields.RUNS)
                .get(com.phishnet.store.retention.RetentionFields.RUNS_BY_ARCHIVE_INDEX).get("key", Document.class))
                .isEqualTo(new Document("archiveId", 1));
        assertThat(indexesOf(com.phishnet.store.jobs.JobFields.COLLECTION).get(V014_RetentionRuns.JOBS_BY_TENANT_COMPLETED)
                .get("key", Document.class)).isEqualTo(new Document("tenantId", 1).append("completedAt", 1));
        assertThat(infos.get(com.phishnet.store.jobs.JobFields.COLLECTION).get("options", Document.class)
                .get("validator", Document.class).toJson()).contains("RETENTION");
        assertThat(infos.get(com.phishnet.store.backup.BackupFields.COLLECTION).get("options", Document.class)
                .get("validator", Document.class).toJson()).contains("RETENTION");
    }

    @Test
    void v015IndexesServiceMetricsByNameAndTimeOnTheTimeSeriesCollection() {
        assertThat(collectionInfos().get(com.phishnet.store.analytics.MetricFields.COLLECTION).getString("type"))
                .isEqualTo("timeseries");
        assertThat(indexesOf(com.phishnet.store.analytics.MetricFields.COLLECTION))
                .containsKey(com.phishnet.store.analytics.MetricFields.BY_NAME_AND_TIME_INDEX);
        assertThat(indexesOf(com.phishnet.store.analytics.MetricFields.COLLECTION)
                .get(com.phishnet.store.analytics.MetricFields.BY_NAME_AND_TIME_INDEX).get("key", Document.class))
                .isEqualTo(new Document("meta.name", 1).append("timestamp", 1));
    }

    @Test
    void v016IndexesEmailsByTenantHashAndTheListsOrder() {
        assertThat(indexesOf(com.phishnet.store.scans.EmailFields.COLLECTION)).containsKey(V016_EmailHashLookup.EMAILS_BY_HASH);
        assertThat(indexesOf(com.phishnet.store.scans.EmailFields.COLLECTION).get(V016_EmailHashLookup.EMAILS_BY_HASH)
                .get("key", Document.class)).isEqualTo(new Document("tenantId", 1).append("hashes.sha256", 1)
                .append("receivedAt", -1).append("_id", -1));
    }

    @Test
    void v017WidensTheFeedbackValidatorAndIndexesFeedbackByScanAndByAnalystInListOrder() {
        Document options = collectionInfos().get(com.phishnet.store.scans.FeedbackFields.COLLECTION)
                .get("options", Document.class);

        assertThat(options.get("validator", Document.class)).isEqualTo(V017_FeedbackReadBack.feedback());
        assertThat(options.getString("validationLevel")).isEqualTo("strict");
        Map<String, Document> indexes = indexesOf(com.phishnet.store.scans.FeedbackFields.COLLECTION);
        assertThat(indexes.get(com.phishnet.store.scans.FeedbackFields.BY_SCAN_INDEX).get("key", Document.class))
                .isEqualTo(Document.parse("{tenantId: 1, scanId: 1, createdAt: -1, _id: -1}"));
        assertThat(indexes.get(com.phishnet.store.scans.FeedbackFields.BY_ANALYST_INDEX).get("key", Document.class))
                .isEqualTo(Document.parse("{tenantId: 1, analystId: 1, createdAt: -1, _id: -1}"));
        assertThat(indexes).containsKey(com.phishnet.store.scans.FeedbackFields.BY_TIME_INDEX);
        // V002's analyst index, a prefix of V017's, is gone.
        assertThat(indexes).doesNotContainKey(V017_FeedbackReadBack.SUPERSEDED_ANALYST_INDEX);
    }

    @Test
    void v018CreatesApiKeysWithItsValidatorAUniquePrefixAndTheListIndex() {
        Document options = collectionInfos().get(com.phishnet.store.apikeys.ApiKeyFields.COLLECTION)
                .get("options", Document.class);

        assertThat(options.get("validator", Document.class)).isEqualTo(V018_ApiKeys.apiKeys());
        assertThat(options.getString("validationLevel")).isEqualTo("strict");
        assertThat(options.getString("validationAction")).isEqualTo("error");
        Map<String, Document> indexes = indexesOf(com.phishnet.store.apikeys.ApiKeyFields.COLLECTION);
        Document prefix = indexes.get(com.phishnet.store.apikeys.ApiKeyFields.PREFIX_INDEX);
        assertThat(prefix.get("key", Document.class)).isEqualTo(Document.parse("{prefix: 1}"));
        assertThat(prefix.getBoolean("unique", false)).isTrue();
        assertThat(indexes.get(com.phishnet.store.apikeys.ApiKeyFields.LIST_INDEX).get("key", Document.class))
                .isEqualTo(Document.parse("{tenantId: 1, createdAt: -1, _id: -1}"));
    }

    @Test
    void v017BackfillsOlderFeedbackFromItsOwnTenantsScanOnlyAndARerunChangesNothing() {
        java.util.Date at = java.util.Date.from(java.time.Instant.parse("2026-11-01T10:00:00Z"));
        insert("scan_results", com.phishnet.store.support.RenderedBson.document(new com.phishnet.store.scans.ScanResult(
                "s-1", "acme", "u-1", "e-1", "a@x.example", com.phishnet.store.scans.Verdict.MALICIOUS,
                com.phishnet.store.scans.Verdict.CLEAN, 0.9, List.of(), "m-7", Map.of(), "k-1", "a".repeat(64),
                at.toInstant(), false, at.toInstant())));
        // Written before V017: no model version, no scan verdict. One in a tenant whose scan s-1 does not exist,
        // one whose scan is gone.
        insert("feedback", oldFeedback("f-1", "acme", "s-1", at));
        insert("feedback", oldFeedback("f-2", "globex", "s-1", at));
        insert("feedback", oldFeedback("f-3", "acme", "s-gone", at));

        new V017_FeedbackReadBack().apply(db.database());
        new V019_ShardKeys().apply(db.database(), db.client());
        Map<String, Document> after = feedbackById();
        new V017_FeedbackReadBack().apply(db.database());
        new V019_ShardKeys().apply(db.database(), db.client());

        assertThat(after.get("f-1")).containsEntry("modelVersion", "m-7").containsEntry("scanVerdict", "MALICIOUS")
                .containsEntry("correctedVerdict", "CLEAN");
        assertThat(after.get("f-2")).doesNotContainKeys("modelVersion", "scanVerdict");
        assertThat(after.get("f-3")).doesNotContainKeys("modelVersion", "scanVerdict");
        assertThat(after).hasSize(3);
        assertThat(feedbackById()).isEqualTo(after);
    }

    private static Document oldFeedback(String id, String tenant, String scanId, java.util.Date at) {
        return new Document("_id", id).append("tenantId", tenant).append("scanId", scanId).append("analystId", "a-1")
                .append("correctedVerdict", "CLEAN").append("createdAt", at).append("updatedAt", at);
    }

    private void insert(String collection, Document document) {
        Mono.from(db.database().getCollection(collection).insertOne(document)).block();
    }

    private Map<String, Document> feedbackById() {
        return Flux.from(db.database().getCollection("feedback").find()).collectList().block().stream()
                .collect(Collectors.toMap(document -> document.getString("_id"), Function.identity()));
    }

    @Test
    void recordsEachChangeUnitOnceInTheChangeLog() {
        // Mongock also records its own system change units here; only ours are of interest. V019 (runAlways) too is
        // recorded once, by its first run; runningTheMigrationsAgainChangesNothing checks a second start adds nothing.
        List<Document> entries = Flux.from(db.database().getCollection("mongockChangeLog")
                .find(new Document("author", "phishnet-store"))).collectList().block();

        assertThat(entries).extracting(entry -> entry.getString("changeId"))
                .containsExactlyInAnyOrder("V001-create-collections", "V002-create-indexes", "V003-create-jobs", "V004-scan-ingestion",
                        "V005-reputation-owners-and-identifier-bounds", "V006-idempotent-creates",
                        "V007-job-scopes", "V008-threat-corrections", "V009-stream-tickets", "V010-backups",
                        "V011-retention-policies-and-legal-holds", "V012-audit-chain-v2-and-checkpoints",
                        "V013-user-erasure", "V014-retention-runs", "V015-service-metrics-index",
                        "V016-email-hash-lookup", "V017-feedback-read-back", "V018-api-keys",
                        "V019-shard-keys");
        assertThat(entries).extracting(entry -> entry.getString("state")).containsOnly("EXECUTED");
    }

    /**
     * V019 is runAlways: Mongock 5.5.1 runs it again at the second start, but writes its change-log entry only when it
     * was not executed before (ChangeExecutorBase.trackChangeEntry), so the change log stays as it was, entry for entry,
     * V019's first executionId included.
     */
    @Test
    void runningTheMigrationsAgainChangesNothing() {
        Map<String, Document> collectionsBefore = collectionInfos();
        Map<String, Map<String, Document>> indexesBefore = allIndexes();
        long changeLogBefore = changeLogSize();
        List<Document> entriesBefore = changeLog();

        MigrationRunner.migrate(db.client(), db.name(), Clock.systemUTC());

        assertThat(collectionInfos()).isEqualTo(collectionsBefore);
        assertThat(allIndexes()).isEqualTo(indexesBefore);
        assertThat(changeLogSize()).isEqualTo(changeLogBefore);
        assertThat(changeLog()).isEqualTo(entriesBefore);
        assertThat(entriesBefore).filteredOn(entry -> "V019-shard-keys".equals(entry.getString("changeId")))
                .singleElement().satisfies(entry -> assertThat(entry.getString("state")).isEqualTo("EXECUTED"));
    }

    private List<Document> changeLog() {
        return Flux.from(db.database().getCollection("mongockChangeLog").find().sort(new Document("_id", 1)))
                .collectList().block();
    }

    @Test
    void changeUnitsAreIdempotentEvenWithoutTheirChangeLog() {
        Map<String, Document> collectionsBefore = collectionInfos();
        Map<String, Map<String, Document>> indexesBefore = allIndexes();

        new V001_CreateCollections().createCollections(db.database());
        new V002_CreateIndexes().createIndexes(db.database());
        new V003_CreateJobs().createJobs(db.database());
        new V004_ScanIngestion().apply(db.database());
        new V005_ReputationOwnersAndIdentifierBounds().apply(db.database());
        new V006_IdempotentCreates().apply(db.database());
        new V007_JobScopes().apply(db.database(), Clock.systemUTC());
        new V008_ThreatCorrections().apply(db.database());
        new V009_StreamTickets().apply(db.database());
        new V010_Backups().apply(db.database());
        new V011_RetentionPoliciesAndLegalHolds().apply(db.database());
        new V012_AuditChainV2AndCheckpoints().apply(db.database());
        new V013_UserErasure().apply(db.database());
        new V014_RetentionRuns().apply(db.database());
        new V015_ServiceMetricsIndex().apply(db.database());
        new V016_EmailHashLookup().apply(db.database());
        new V017_FeedbackReadBack().apply(db.database());
        new V018_ApiKeys().apply(db.database());
        new V019_ShardKeys().apply(db.database(), db.client());

        assertThat(collectionInfos()).isEqualTo(collectionsBefore);
        assertThat(allIndexes()).isEqualTo(indexesBefore);
    }

    private long changeLogSize() {
        return Mono.from(db.database().getCollection("mongockChangeLog").countDocuments()).block();
    }

    private Map<String, Document> collectionInfos() {
        return Flux.from(db.database().listCollections()).collectList().block().stream()
                .collect(Collectors.toMap(info -> info.getString("name"), Function.identity()));
    }

    private Map<String, Map<String, Document>> allIndexes() {
        return java.util.stream.Stream.concat(V002_CreateIndexes.indexes().keySet().stream(),
                        java.util.stream.Stream.of(StreamTicketFields.COLLECTION, com.phishnet.store.retention.RetentionFields.HOLDS,
                                com.phishnet.store.retention.RetentionFields.RUNS,
                                com.phishnet.store.erasure.ErasureFields.COLLECTION,
                                com.phishnet.store.analytics.MetricFields.COLLECTION,
                                com.phishnet.store.apikeys.ApiKeyFields.COLLECTION))
                .collect(Collectors.toMap(Function.identity(), this::indexesOf));
    }

    private Map<String, Document> indexesOf(String collection) {
        return Flux.from(db.database().getCollection(collection).listIndexes()).collectList().block().stream()
                .collect(Collectors.toMap(index -> index.getString("name"), Function.identity()));
    }
}
