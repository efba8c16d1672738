package com.phishnet.store.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.validation.constraints.Size;

import com.phishnet.store.analytics.TenantStatsFields;
import com.phishnet.store.audit.AuditFields;
import com.phishnet.store.backup.BackupFields;
import com.phishnet.store.jobs.JobFields;
import com.phishnet.store.platform.web.InputBounds;
import com.phishnet.store.reputation.ReputationFields;
import com.phishnet.store.reputation.ReputationRequests.PutVerdict;
import com.phishnet.store.scans.EmailFields;
import com.phishnet.store.scans.FeedbackFields;
import com.phishnet.store.scans.ScanFields;
import com.phishnet.store.scans.ScanRequests.IngestScan;
import com.phishnet.store.streams.StreamTicketFields;
import com.phishnet.store.streams.StreamTicketRequests;
import com.phishnet.store.users.UserFields;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Every stored field that holds a tenant, a token subject or an id the API accepts has validator bounds at
 * least as wide as what the token rules and the request annotations let through, so an accepted input never
 * fails with DocumentValidationFailure (121). Checked against the validators as the latest change unit left them.
 */
class IdentifierBoundsTest {

    /** The validator of each collection after all change units, in the order they apply. */
    static Map<String, Document> currentValidators() {
        Map<String, Document> validators = new LinkedHashMap<>();
        V001_CreateCollections.definitions().stream().filter(definition -> definition.validator() != null)
                .forEach(definition -> validators.put(definition.name(), definition.validator()));
        validators.put(JobFields.COLLECTION, V007_JobScopes.jobs());
        validators.put(ScanFields.COLLECTION, V008_ThreatCorrections.scans());
        validators.put(TenantStatsFields.COLLECTION, V004_ScanIngestion.tenantStats());
        validators.put(ReputationFields.COLLECTION, V005_ReputationOwnersAndIdentifierBounds.reputation());
        validators.put(FeedbackFields.COLLECTION, V017_FeedbackReadBack.feedback());
        validators.put(UserFields.COLLECTION, V013_UserErasure.users());
        validators.put(StreamTicketFields.COLLECTION, V009_StreamTickets.streamTickets());
        validators.put(com.phishnet.store.backup.BackupFields.COLLECTION, V010_Backups.backups());
        validators.put(com.phishnet.store.platform.mongo.LeaseFields.COLLECTION, V010_Backups.leases());
        validators.put(com.phishnet.store.retention.RetentionFields.HOLDS, V011_RetentionPoliciesAndLegalHolds.holds());
        validators.put(com.phishnet.store.retention.RetentionFields.RUNS, V014_RetentionRuns.runs());
        validators.put(AuditFields.COLLECTION, V012_AuditChainV2AndCheckpoints.audit());
        validators.put(AuditFields.CHECKPOINTS, V012_AuditChainV2AndCheckpoints.checkpoints());
        validators.put(com.phishnet.store.erasure.ErasureFields.COLLECTION, V013_UserErasure.erasures());
        validators.put(com.phishnet.store.apikeys.ApiKeyFields.COLLECTION, V018_ApiKeys.apiKeys());
        return validators;
    }

    @Test
    void everyStoredTenantIdTakesEveryTenantATokenMayName() {
        currentValidators().forEach((collection, validator) -> {
            Document tenantId = property(validator, "tenantId");
            if (tenantId != null) {
                assertAccepts(collection + ".tenantId", tenantId, 1, InputBounds.TENANT_ID_MAX);
            }
        });
        assertAccepts("tenant_stats._id", property(V004_ScanIngestion.tenantStats(), TenantStatsFields.ID), 1,
                InputBounds.TENANT_ID_MAX);
        assertAccepts("audit_checkpoints._id", property(V012_AuditChainV2AndCheckpoints.checkpoints(),
                AuditFields.CHECKPOINT_TENANT_ID), 1, InputBounds.TENANT_ID_MAX);
    }

    @Test
    void everyFieldThatRecordsTheCallerTakesEveryTokenSubject() {
        Map<String, String> callerFields = Map.of(
                AuditFields.COLLECTION, AuditFields.ACTOR_ID,
                FeedbackFields.COLLECTION, FeedbackFields.ANALYST_ID,
                JobFields.COLLECTION, JobFields.REQUESTED_BY,
                BackupFields.COLLECTION, BackupFields.REQUESTED_BY,
                StreamTicketFields.COLLECTION, StreamTicketFields.SUBJECT,
                com.phishnet.store.apikeys.ApiKeyFields.COLLECTION, com.phishnet.store.apikeys.ApiKeyFields.CREATED_BY,
                com.phishnet.store.erasure.ErasureFields.COLLECTION, com.phishnet.store.erasure.ErasureFields.ACTOR);
        Map<String, Document> validators = currentValidators();

        callerFields.forEach((collection, field) -> assertAccepts(collection + "." + field,
                property(validators.get(collection), field), 1, InputBounds.SUBJECT_MAX));
    }

    @Test
    void userIdsNamedByAScanFitWhereTheScanStoresThem() throws Exception {
        int accepted = sizeMax(IngestScan.class, "userId");
        Map<String, Document> validators = currentValidators();

        assertThat(accepted).isEqualTo(InputBounds.ID_MAX);
        assertAccepts("scan_results.userId", property(validators.get(ScanFields.COLLECTION), ScanFields.USER_ID), 1,
                accepted);
        assertAccepts("emails_meta.userId", property(validators.get(EmailFields.COLLECTION), EmailFields.USER_ID), 1,
                accepted);
    }

    @Test
    void reputationSubjectsAndSourcesTheApiAcceptsFitTheirFields() throws Exception {
        Document validator = currentValidators().get(ReputationFields.COLLECTION);

        assertAccepts("reputation_cache.subject", property(validator, ReputationFields.SUBJECT), 1,
                sizeMax(PutVerdict.class, "subject"));
        assertAccepts("reputation_cache.source", property(validator, ReputationFields.SOURCE), 1,
                sizeMax(PutVerdict.class, "source"));
    }

    @Test
    void everyStreamATicketCanNameFitsTheStoredPath() {
        Document stream = property(currentValidators().get(StreamTicketFields.COLLECTION), StreamTicketFields.STREAM);
        String longestJob = StreamTicketFields.STREAM_PREFIX + StreamTicketRequests.JOB_PREFIX
                + "a".repeat(InputBounds.ID_MAX);

        assertThat(longestJob).matches(StreamTicketFields.STREAM_PREFIX + StreamTicketRequests.STREAM_PATTERN);
        assertAccepts("stream_tickets.stream", stream, 1, longestJob.length());
    }

    @Test
    void everyApiKeyNameTheApiAcceptsFitsTheStoredNameAndWhoRevokedAKeyIsATokenSubject() throws Exception {
        Document validator = currentValidators().get(com.phishnet.store.apikeys.ApiKeyFields.COLLECTION);
        int accepted = sizeMax(com.phishnet.store.apikeys.ApiKeyRequests.CreateKey.class, "name");

        assertThat(accepted).isEqualTo(com.phishnet.store.apikeys.ApiKeyFields.NAME_MAX);
        assertAccepts("api_keys.name", property(validator, com.phishnet.store.apikeys.ApiKeyFields.NAME), 1, accepted);
        assertAccepts("api_keys.revokedBy", property(validator, com.phishnet.store.apikeys.ApiKeyFields.REVOKED_BY), 1,
                InputBounds.SUBJECT_MAX);
        assertThat(property(validator, com.phishnet.store.apikeys.ApiKeyFields.NAME).getString("pattern"))
                .isEqualTo("^" + com.phishnet.store.apikeys.ApiKeyFields.NAME_PATTERN + "\\z");
    }

    private static Document property(Document validator, String name) {
        return validator.get("$jsonSchema", Document.class).get("properties", Document.class).get(name, Document.class);
    }

    private static int sizeMax(Class<?> request, String field) throws NoSuchFieldException {
        return request.getDeclaredField(field).getAnnotation(Size.class).max();
    }

    private static void assertAccepts(String what, Document schema, int shortest, int longest) {
        assertThat(schema).as(what + " has a validator").isNotNull();
        assertThat(schema.getInteger("minLength")).as(what + " minLength").isLessThanOrEqualTo(shortest);
        assertThat(schema.getInteger("maxLength")).as(what + " maxLength").isGreaterThanOrEqualTo(longest);
    }
}
