package com.phishnet.store.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.phishnet.store.audit.AuditChain;
import com.phishnet.store.audit.AuditEvent;
import com.phishnet.store.audit.AuditEventType;
import com.phishnet.store.audit.AuditOutcome;
import com.phishnet.store.credentials.Credential;
import com.phishnet.store.credentials.CredentialProvider;
import com.phishnet.store.credentials.CredentialStatus;
import com.phishnet.store.jobs.Job;
import com.phishnet.store.jobs.JobScope;
import com.phishnet.store.jobs.JobState;
import com.phishnet.store.jobs.JobType;
import com.phishnet.store.platform.crypto.Sealed;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.support.JsonSchemaSubset;
import com.phishnet.store.support.RenderedBson;
import com.phishnet.store.tokens.RefreshTokenStatus;
import com.phishnet.store.users.User;
import com.phishnet.store.users.UserStatus;
import org.bson.Document;
import org.bson.types.Binary;
import org.junit.jupiter.api.Test;

/**
 * What Spring Data writes for each stored record has the shape the collection validators demand: field
 * names, BSON types, required fields, no nulls written.
 */
class DocumentShapesTest {

    private final Instant now = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void aNewUserSatisfiesTheUsersValidator() {
        Document written = RenderedBson.document(new User("u-1", "acme", "Ann@Example.com", "ann@example.com", null,
                Role.ANALYST, UserStatus.ACTIVE, User.UserStats.empty(), now, now));

        assertThat(JsonSchemaSubset.violations(V001_CreateCollections.users(), written)).isEmpty();
        assertThat(written).doesNotContainKey("displayName");
    }

    @Test
    void anErasedUserSatisfiesTheUsersValidatorOfV013AndWouldBeRejectedByV006() {
        User erased = new User("u-1", "acme", "erased-u-1@erased.invalid", "erased-u-1@erased.invalid", null, Role.USER,
                UserStatus.ERASED, User.UserStats.empty(), now, now, null, null, now);
        Document written = RenderedBson.document(erased);

        assertThat(JsonSchemaSubset.violations(V013_UserErasure.users(), written)).isEmpty();
        assertThat(written).doesNotContainKeys("displayName", "idempotencyKey", "requestHash");
        assertThat(V006_IdempotentCreates.users(null).get("$jsonSchema", Document.class).get("properties", Document.class))
                .doesNotContainKey("erasedAt");
        assertThat(JsonSchemaSubset.violations(V006_IdempotentCreates.users(null), written))
                .singleElement().asString().startsWith(".status:");
    }

    @Test
    void erasureRegisterEntriesPendingAndCompletedSatisfyTheirValidatorAndAPlaintextAddressIsRejected() {
        var pending = new com.phishnet.store.erasure.Erasure("r-1", "acme", "u-1", now, "admin-1", null, null,
                new Sealed("k1", new byte[] {1, 2, 3}));
        var completed = new com.phishnet.store.erasure.Erasure("r-2", "acme", "u-2", now, "ops-1", "ops", now, null);

        assertThat(JsonSchemaSubset.violations(V013_UserErasure.erasures(), RenderedBson.document(pending))).isEmpty();
        assertThat(JsonSchemaSubset.violations(V013_UserErasure.erasures(), RenderedBson.document(completed))).isEmpty();
        assertThat(RenderedBson.document(completed)).doesNotContainKey("pendingAddress");
        assertThat(JsonSchemaSubset.violations(V013_UserErasure.erasures(),
                RenderedBson.document(completed).append("pendingAddress", "ann@example.com"))).isNotEmpty();
    }

    @Test
    void erasedEmailsAndScansStillSatisfyTheirValidators() {
        var email = new com.phishnet.store.scans.EmailMeta("e-1", "acme", "u-1", "<m@x>", "erased-u-1@erased.invalid",
                "erased.invalid", List.of("erased-u-1@erased.invalid"), null, now, 1234, Map.of(), false, now);
        Document scan = RenderedBson.document(ingestedScan()).append("sender", "erased-u-1@erased.invalid");

        assertThat(JsonSchemaSubset.violations(V001_CreateCollections.emails(), RenderedBson.document(email))).isEmpty();
        assertThat(RenderedBson.document(email)).doesNotContainKey("subject");
        assertThat(JsonSchemaSubset.violations(V008_ThreatCorrections.scans(), scan)).isEmpty();
    }

    @Test
    void aSealedCredentialSatisfiesTheCredentialsValidatorWithBinaryCiphertext() {
        Document written = RenderedBson.document(new Credential("c-1", "acme", "u-1", CredentialProvider.GOOGLE,
                "A".repeat(43), new Sealed("k1", new byte[] {1, 2, 3}), null, List.of("gmail.readonly"),
                CredentialStatus.ACTIVE, null, now, null, null));

        assertThat(JsonSchemaSubset.violations(V001_CreateCollections.credentials(), written)).isEmpty();
        // byte[] is encoded by the driver as BSON binary (subtype 0).
        assertThat(written.get("accessToken", Document.class).get("ciphertext")).isInstanceOfAny(Binary.class, byte[].class);
    }

    @Test
    void aCredentialWithAPlaintextTokenWouldBeRejected() {
        Document plaintext = new Document("_id", "c-1").append("tenantId", "acme").append("userId", "u-1")
                .append("provider", "GOOGLE").append("status", "ACTIVE").append("createdAt", new java.util.Date())
                .append("accessToken", "ya29.plain");

        // Exactly one violation: the document is otherwise valid, so this is the rule under test.
        assertThat(JsonSchemaSubset.violations(V001_CreateCollections.credentials(), plaintext))
                .singleElement().asString().startsWith(".accessToken:");
    }

    @Test
    void auditEntriesSatisfyTheAuditValidator() {
        AuditEvent event = new AuditEvent("acme", AuditEventType.USER_CREATED, "admin-1", "users", "u-1",
                AuditOutcome.SUCCESS, "2001:db8::1", "curl/8", "req-1", Map.of("role", "ANALYST"));
        var first = AuditChain.next(null, event, now, "a-1", new byte[AuditChain.SALT_BYTES]);
        var second = AuditChain.next(first, event, now, "a-2", new byte[AuditChain.SALT_BYTES]);

        assertThat(JsonSchemaSubset.violations(V012_AuditChainV2AndCheckpoints.audit(), RenderedBson.document(first))).isEmpty();
        assertThat(JsonSchemaSubset.violations(V012_AuditChainV2AndCheckpoints.audit(), RenderedBson.document(second))).isEmpty();
        assertThat(RenderedBson.document(second).get("seq")).isInstanceOf(Long.class);
        assertThat(RenderedBson.document(second).get("v")).isEqualTo(2);
    }

    @Test
    void anErasedAuditEntrySatisfiesTheV012ValidatorAndOneWithItsIpLeftDoesNot() {
        AuditEvent event = new AuditEvent("acme", AuditEventType.USER_CREATED, "admin-1", "users", "u-1",
                AuditOutcome.SUCCESS, "203.0.113.9", "curl/8", "req-1", Map.of());
        Document written = RenderedBson.document(AuditChain.next(null, event, now, "a-1", new byte[AuditChain.SALT_BYTES]));
        // What the erase update leaves: no ip, userAgent or salt; erasedAt.
        Document erased = new Document(written).append("erasedAt", java.util.Date.from(now));
        erased.keySet().removeAll(List.of("ip", "userAgent", "salt"));

        assertThat(JsonSchemaSubset.violations(V012_AuditChainV2AndCheckpoints.audit(), erased)).isEmpty();
        assertThat(JsonSchemaSubset.violations(V012_AuditChainV2AndCheckpoints.audit(),
                new Document(erased).append("ip", "203.0.113.9"))).isNotEmpty();
        assertThat(JsonSchemaSubset.violations(V012_AuditChainV2AndCheckpoints.audit(),
                new Document(written).append("salt", "A".repeat(64)))).isNotEmpty();
    }

    @Test
    void v1AuditEntriesStaySatisfyingTheAuditValidatorAsV012ChangesIt() {
        Document v1 = new Document("_id", "a-1").append("tenantId", "acme").append("seq", 1L)
                .append("eventType", "USER_CREATED").append("outcome", "SUCCESS").append("ip", "203.0.113.9")
                .append("userAgent", "curl/8").append("at", java.util.Date.from(now)).append("hash", "a".repeat(64));

        assertThat(JsonSchemaSubset.violations(V012_AuditChainV2AndCheckpoints.audit(), v1)).isEmpty();
        assertThat(JsonSchemaSubset.violations(V012_AuditChainV2AndCheckpoints.audit(),
                new Document(v1).append("personalDigest", "b".repeat(64)))).isNotEmpty();
    }

    @Test
    void auditCheckpointsSatisfyTheirValidator() {
        var checkpoint = new com.phishnet.store.audit.AuditCheckpoint("acme", 41L, "a".repeat(64), now, "archive-1");
        Document written = RenderedBson.document(checkpoint);

        assertThat(JsonSchemaSubset.violations(V012_AuditChainV2AndCheckpoints.checkpoints(), written)).isEmpty();
        assertThat(written.get("_id")).isEqualTo("acme");
        assertThat(written.get("seq")).isInstanceOf(Long.class);
        assertThat(JsonSchemaSubset.violations(V012_AuditChainV2AndCheckpoints.checkpoints(),
                new Document(written).append("hash", "not-hex"))).isNotEmpty();
    }

    @Test
    void refreshTokensSatisfyTheirValidator() {
        var token = new com.phishnet.store.tokens.RefreshToken("t-1", "acme", "u-1", "f-1", "a".repeat(64),
                RefreshTokenStatus.ACTIVE, now, now.plusSeconds(60), null, null);

        assertThat(JsonSchemaSubset.violations(V001_CreateCollections.refreshTokens(), RenderedBson.document(token)))
                .isEmpty();
    }

    @Test
    void scansSatisfyTheValidatorAsExtendedByV004AndV008() {
        Document scan = RenderedBson.document(ingestedScan());

        assertThat(JsonSchemaSubset.violations(V004_ScanIngestion.scans(), scan)).isEmpty();
        assertThat(JsonSchemaSubset.violations(V008_ThreatCorrections.scans(), scan)).isEmpty();
    }

    @Test
    void aCorrectedScanSatisfiesTheValidatorOfV008AndV004WouldNotKnowItsField() {
        Document corrected = RenderedBson.document(ingestedScan()).append("effectiveVerdict", "CLEAN")
                .append("correctedFrom", "MALICIOUS");

        assertThat(JsonSchemaSubset.violations(V008_ThreatCorrections.scans(), corrected)).isEmpty();
        assertThat(V004_ScanIngestion.scans().get("$jsonSchema", Document.class).get("properties", Document.class))
                .doesNotContainKey("correctedFrom");
    }

    private com.phishnet.store.scans.ScanResult ingestedScan() {
        return new com.phishnet.store.scans.ScanResult("s-1", "acme", "u-1", "e-1", "a@x.example",
                com.phishnet.store.scans.Verdict.MALICIOUS, com.phishnet.store.scans.Verdict.MALICIOUS, 0.97,
                List.of(new com.phishnet.store.scans.ScanResult.Indicator("url", "http://x.example", 0.8)), "m-1",
                Map.of("totalMs", 42L), "key-1", "a".repeat(64), now, false, now);
    }

    @Test
    void aScanWithoutEffectiveVerdictIsRejectedByV004AndV008() {
        Document scan = RenderedBson.document(new com.phishnet.store.scans.ScanResult("s-1", "acme", "u-1", "e-1",
                "a@x.example", com.phishnet.store.scans.Verdict.CLEAN, null, 0.1, List.of(), "m-1", Map.of(), "k",
                "a".repeat(64), now, false, now));

        assertThat(JsonSchemaSubset.violations(V004_ScanIngestion.scans(), scan))
                .singleElement().asString().startsWith(".effectiveVerdict:");
        assertThat(JsonSchemaSubset.violations(V008_ThreatCorrections.scans(), scan))
                .singleElement().asString().startsWith(".effectiveVerdict:");
    }

    @Test
    void feedbackWithRatingFlagAndTheScansCopiedFieldsSatisfiesTheValidatorOfV017AndV005WouldNotKnowThem() {
        Document feedback = RenderedBson.document(new com.phishnet.store.scans.Feedback("f-1", "acme", "s-1", "a-1",
                com.phishnet.store.scans.Verdict.CLEAN, "benign newsletter", now, now, 2,
                com.phishnet.store.scans.FeedbackFlag.NEEDS_REVIEW.value(), "m-1",
                com.phishnet.store.scans.Verdict.MALICIOUS));

        assertThat(feedback).containsEntry("rating", 2).containsEntry("flag", "needs_review")
                .containsEntry("scanVerdict", "MALICIOUS");
        assertThat(JsonSchemaSubset.violations(V017_FeedbackReadBack.feedback(), feedback)).isEmpty();
        assertThat(V005_ReputationOwnersAndIdentifierBounds.feedback().get("$jsonSchema", Document.class)
                .get("properties", Document.class)).doesNotContainKeys("rating", "flag", "modelVersion", "scanVerdict");
    }

    @Test
    void emailsSatisfyTheirValidator() {
        var email = new com.phishnet.store.scans.EmailMeta("e-1", "acme", "u-1", "<m@x>", "a@x.example", "x.example",
                List.of("b@y.example"), "Invoice", now, 1234, Map.of("sha256", "a".repeat(64)), false, now);

        assertThat(JsonSchemaSubset.violations(V001_CreateCollections.emails(), RenderedBson.document(email))).isEmpty();
    }

    @Test
    void tenantStatsSatisfyTheirValidator() {
        var stats = new com.phishnet.store.analytics.TenantStats("acme", 3L, 1L, 1L, 1L, 0L, now, now);

        assertThat(JsonSchemaSubset.violations(V004_ScanIngestion.tenantStats(), RenderedBson.document(stats))).isEmpty();
    }

    @Test
    void reputationEntriesOfEitherOwnerSatisfyTheValidatorOfV005() {
        var global = com.phishnet.store.reputation.ReputationEntry.of(com.phishnet.store.reputation.ReputationOwner.GLOBAL,
                com.phishnet.store.reputation.SubjectType.DOMAIN, "phish.example",
                com.phishnet.store.reputation.ReputationVerdict.MALICIOUS, 0.9, "feed", now, now.plusSeconds(60));
        var override = com.phishnet.store.reputation.ReputationEntry.of(
                com.phishnet.store.reputation.ReputationOwner.tenant("acme"), com.phishnet.store.reputation.SubjectType.DOMAIN,
                "phish.example", com.phishnet.store.reputation.ReputationVerdict.CLEAN, 0.1, "analyst", now,
                now.plusSeconds(60));

        assertThat(JsonSchemaSubset.violations(V005_ReputationOwnersAndIdentifierBounds.reputation(),
                RenderedBson.document(global))).isEmpty();
        assertThat(JsonSchemaSubset.violations(V005_ReputationOwnersAndIdentifierBounds.reputation(),
                RenderedBson.document(override))).isEmpty();
    }

    @Test
    void jobsSatisfyTheirValidator() {
        Job job = new Job("j-1", JobType.KEY_ROTATION, JobScope.SERVICE, JobState.RUNNING, "ops-1", "acme",
                null, now, now, null, 0, 0, null, null);

        assertThat(JsonSchemaSubset.violations(V007_JobScopes.jobs(), RenderedBson.document(job))).isEmpty();
        // A service job belongs to no tenant: Spring Data leaves the null tenantId out, as the validator demands.
        assertThat(RenderedBson.document(job)).doesNotContainKey("tenantId").containsEntry("scope", "SERVICE");
    }

    @Test
    void streamTicketsSatisfyTheirValidatorWithRolesAndScopesAsTokensWriteThem() {
        var ticket = new com.phishnet.store.streams.StreamTicket("ab".repeat(32), "u-1", "acme",
                List.of(Role.USER, Role.ADMIN), List.of("scans:write"), "/api/v1/streams/scans", now,
                now.plusSeconds(60), now.plusSeconds(3600));
        Document written = RenderedBson.document(ticket);

        assertThat(JsonSchemaSubset.violations(V009_StreamTickets.streamTickets(), written)).isEmpty();
        assertThat(written).containsEntry("roles", List.of("USER", "ADMIN")).containsEntry("scopes", List.of("scans:write"));
    }

    @Test
    void aStreamTicketWithoutRolesOrScopesStillWritesBothLists() {
        Document written = RenderedBson.document(new com.phishnet.store.streams.StreamTicket("ab".repeat(32), "svc-1",
                "acme", List.of(), List.of(), "/api/v1/streams/threats", now, now.plusSeconds(60), now.plusSeconds(60)));

        assertThat(JsonSchemaSubset.violations(V009_StreamTickets.streamTickets(), written)).isEmpty();
        assertThat(written).containsEntry("roles", List.of()).containsEntry("scopes", List.of());
    }

    @Test
    void backupsSatisfyTheirValidatorRequestedCompletedVerifiedAndFailed() {
        var requested = new com.phishnet.store.backup.Backup("b-1", com.phishnet.store.backup.BackupState.RUNNING,
                com.phishnet.store.backup.BackupTrigger.MANUAL, "ops-1", "ops", now, null, null, "acme",
                List.of("scan_results"), null, null, null, null, null, null, null, null, null, null, null);
        var verification = new com.phishnet.store.backup.Backup.Verification(false, now, 10, java.util.Collections.nCopies(
                com.phishnet.store.backup.BackupFields.MAX_PROBLEMS,
                "p".repeat(com.phishnet.store.backup.BackupFields.MAX_PROBLEM_LENGTH)));
        var completed = new com.phishnet.store.backup.Backup("b-2", com.phishnet.store.backup.BackupState.COMPLETED,
                com.phishnet.store.backup.BackupTrigger.SCHEDULED, "phishnet-store:backup-schedule", "phishnet.service",
                now, now, "n".repeat(com.phishnet.store.backup.BackupFields.MAX_NOTE), null, null, "phishnet",
                new com.phishnet.store.backup.Backup.ClusterTime(1_765_015_200L, 7),
                List.of(new com.phishnet.store.backup.Backup.Content("scan_results", 12, 3456, "0".repeat(64))),
                List.of("k-1"), 12L, 4096L, "f".repeat(64), "/var/backups/b-2.tar", "backup-1", verification, null);
        var failed = new com.phishnet.store.backup.Backup("b-3", com.phishnet.store.backup.BackupState.FAILED,
                com.phishnet.store.backup.BackupTrigger.MANUAL, "ops-1", "ops", now, now, null, null, null, null,
                null, null, null, null, null, null, null, null, null, "x".repeat(1000));

        for (var backup : List.of(requested, completed, failed)) {
            assertThat(JsonSchemaSubset.violations(V010_Backups.backups(), RenderedBson.document(backup)))
                    .as(backup.id()).isEmpty();
        }
        assertThat(RenderedBson.document(requested)).doesNotContainKeys("note", "completedAt", "verification", "error");
        assertThat(RenderedBson.document(completed).get("clusterTime", Document.class).get("t")).isInstanceOf(Long.class);
    }

    @Test
    void aBackupChecksumThatIsNotLowerCaseHexIsRejected() {
        var backup = new com.phishnet.store.backup.Backup("b-2", com.phishnet.store.backup.BackupState.COMPLETED,
                com.phishnet.store.backup.BackupTrigger.MANUAL, "ops-1", "ops", now, now, null, null, null, "phishnet",
                null, List.of(), List.of(), 0L, 10L, "F".repeat(64), "/b", null, null, null);

        assertThat(JsonSchemaSubset.violations(V010_Backups.backups(), RenderedBson.document(backup))).isNotEmpty();
    }

    @Test
    void backupAndRestoreJobsSatisfyTheJobsValidatorAsV010AppliesIt() {
        for (JobType type : List.of(JobType.BACKUP, JobType.RESTORE)) {
            Job job = new Job("j-" + type, type, JobScope.SERVICE, JobState.RUNNING, "ops-1", "ops", null, now, now,
                    null, 10, 10, "scan_results", null);
            assertThat(JsonSchemaSubset.violations(V007_JobScopes.jobs(), RenderedBson.document(job))).as(type.name()).isEmpty();
        }
    }

    @Test
    void retentionRunsStartedAndFinishedSatisfyTheirValidator() {
        var tallies = java.util.List.of(
                new com.phishnet.store.retention.RetentionRun.Tally("emails_meta", "t".repeat(64), now, 120, 3, 120),
                // Service jobs belong to no tenant: the tally has none.
                new com.phishnet.store.retention.RetentionRun.Tally("jobs", null, now, 4, 0, 4));
        var started = new com.phishnet.store.retention.RetentionRun("r-1", com.phishnet.store.jobs.JobState.RUNNING,
                com.phishnet.store.retention.RetentionRun.Trigger.SCHEDULED,
                com.phishnet.store.retention.RetentionRun.Phase.PLANNING, "s".repeat(128), "phishnet.service", now, null,
                "a".repeat(64), java.util.List.of(), 0, 0, java.util.List.of(), null);
        var finished = new com.phishnet.store.retention.RetentionRun("r-2", com.phishnet.store.jobs.JobState.FAILED,
                com.phishnet.store.retention.RetentionRun.Trigger.MANUAL,
                com.phishnet.store.retention.RetentionRun.Phase.DONE, "op-1", "ops", now, now, "a-2", tallies, 124, 124,
                java.util.List.of(new com.phishnet.store.retention.RetentionRun.Resumed("r-0", "a-0", 9)), "e".repeat(1200));

        assertThat(JsonSchemaSubset.violations(V014_RetentionRuns.runs(), RenderedBson.document(started))).isEmpty();
        assertThat(JsonSchemaSubset.violations(V014_RetentionRuns.runs(), RenderedBson.document(finished))).isEmpty();
        assertThat(RenderedBson.document(finished).getList("tallies", org.bson.Document.class).get(1))
                .doesNotContainKey("tenantId");
    }

    @Test
    void aRetentionArchiveIsABackupItsValidatorAccepts() {
        var archive = new com.phishnet.store.backup.Backup("a-1", com.phishnet.store.backup.BackupState.RUNNING,
                com.phishnet.store.backup.BackupTrigger.RETENTION, "phishnet-store:retention-schedule", "phishnet.service",
                now, null, "retention run r-1", null, java.util.List.of("audit_logs", "emails_meta"), null, null, null,
                null, null, null, null, null, null, null, null);

        assertThat(JsonSchemaSubset.violations(V010_Backups.backups(), RenderedBson.document(archive))).isEmpty();
    }

    @Test
    void legalHoldsActiveAndLiftedSatisfyTheirValidator() {
        var active = new com.phishnet.store.retention.LegalHold("h-1", "acme", null, "r".repeat(1000),
                com.phishnet.store.retention.LegalHoldState.ACTIVE, "admin-1", now, null, null, null);
        var lifted = new com.phishnet.store.retention.LegalHold("h-2", "acme", "u-1", "case 42",
                com.phishnet.store.retention.LegalHoldState.LIFTED, "admin-1", now, "admin-2", now, "l".repeat(500));

        assertThat(JsonSchemaSubset.violations(V011_RetentionPoliciesAndLegalHolds.holds(), RenderedBson.document(active))).isEmpty();
        assertThat(RenderedBson.document(active)).doesNotContainKeys("userId", "liftedBy", "liftedAt", "liftReason");
        assertThat(JsonSchemaSubset.violations(V011_RetentionPoliciesAndLegalHolds.holds(), RenderedBson.document(lifted))).isEmpty();
    }

    @Test
    void aTenantsRetentionOverridesSatisfyTheirValidatorAndAnUnknownKindIsRejected() {
        var override = new com.phishnet.store.retention.RetentionOverride("acme",
                java.util.Map.of("EMAILS_META", 1, "AUDIT_LOGS", 3650), now, "admin-1");
        var unknown = new com.phishnet.store.retention.RetentionOverride("acme",
                java.util.Map.of("SYSTEM_METRICS", 10), now, "admin-1");

        assertThat(JsonSchemaSubset.violations(V011_RetentionPoliciesAndLegalHolds.policies(), RenderedBson.document(override)))
                .isEmpty();
        assertThat(JsonSchemaSubset.violations(V011_RetentionPoliciesAndLegalHolds.policies(), RenderedBson.document(unknown)))
                .isNotEmpty();
    }

    @Test
    void theKindsV011LetsATenantOverrideAreExactlyTheOverridableOnes() {
        assertThat(V011_RetentionPoliciesAndLegalHolds.OVERRIDABLE).containsExactlyElementsOf(
                java.util.Arrays.stream(com.phishnet.store.retention.RetainedData.values())
                        .filter(com.phishnet.store.retention.RetainedData::overridable).map(Enum::name).toList());
    }

    @Test
    void aTenantIdOfTwentyFourHexDigitsStaysAStringIdWhereTheTenantIsTheId() {
        String hexTenant = "5f1b2c3d4e5f6a7b8c9d0e1f";
        var override = new com.phishnet.store.retention.RetentionOverride(hexTenant, java.util.Map.of("JOBS", 7), now, "admin-1");

        assertThat(RenderedBson.document(override).get("_id")).isEqualTo(hexTenant);
        assertThat(JsonSchemaSubset.violations(V011_RetentionPoliciesAndLegalHolds.policies(), RenderedBson.document(override)))
                .isEmpty();
        assertThat(RenderedBson.document(new com.phishnet.store.analytics.TenantStats(hexTenant, 1L, 1L, 0L, 0L, 0L, now,
                now)).get("_id")).isEqualTo(hexTenant);
        // And the filters that find them by tenant compare with the string, not an ObjectId.
        assertThat(RenderedBson.filter(org.springframework.data.mongodb.core.query.Query.query(
                org.springframework.data.mongodb.core.query.Criteria.where("_id").is(hexTenant)),
                com.phishnet.store.analytics.TenantStats.class)).isEqualTo("{\"_id\": \"" + hexTenant + "\"}");
    }

    @Test
    void apiKeysNewRotatedAndRevokedSatisfyTheirValidatorWithoutNullsWritten() {
        var created = new com.phishnet.store.apikeys.ApiKey("k-1", "acme", "n".repeat(100), "abcdefgh2345",
                "A".repeat(43), List.of("scans:write", "reputation:write", "credentials:read-secret"),
                "s".repeat(com.phishnet.store.platform.web.InputBounds.SUBJECT_MAX), now, null, null, null, null, null,
                null);
        var retired = new com.phishnet.store.apikeys.ApiKey("k-2", "acme", "scanner", "zzzzzzzzzzzz", "_-".repeat(21) + "a",
                List.of("scans:write"), "admin-1", now, now.plusSeconds(60), now, "admin-2", now, "k-0", "k-3");

        Document written = RenderedBson.document(created);
        assertThat(JsonSchemaSubset.violations(V018_ApiKeys.apiKeys(), written)).isEmpty();
        assertThat(written).doesNotContainKeys("expiresAt", "revokedAt", "revokedBy", "lastUsedAt", "rotatedFrom",
                "rotatedTo");
        assertThat(JsonSchemaSubset.violations(V018_ApiKeys.apiKeys(), RenderedBson.document(retired))).isEmpty();
        assertThat(RenderedBson.document(retired).get("expiresAt")).isInstanceOf(java.util.Date.class);
    }

    @Test
    void anApiKeyWithTheOperatorScopeARepeatedScopeAControlCharacterInItsNameOrAPlainHashIsRejected() {
        Document key = RenderedBson.document(new com.phishnet.store.apikeys.ApiKey("k-1", "acme", "scanner",
                "abcdefgh2345", "A".repeat(43), List.of("scans:write"), "admin-1", now, null, null, null, null, null,
                null));

        assertThat(JsonSchemaSubset.violations(V018_ApiKeys.apiKeys(),
                new Document(key).append("scopes", List.of("service:operator")))).singleElement().asString()
                .startsWith(".scopes[0]:");
        assertThat(JsonSchemaSubset.violations(V018_ApiKeys.apiKeys(),
                new Document(key).append("scopes", List.of("scans:write", "scans:write")))).singleElement().asString()
                .startsWith(".scopes:");
        assertThat(JsonSchemaSubset.violations(V018_ApiKeys.apiKeys(), new Document(key).append("scopes", List.of())))
                .singleElement().asString().startsWith(".scopes:");
        assertThat(JsonSchemaSubset.violations(V018_ApiKeys.apiKeys(), new Document(key).append("name", "scan\nner")))
                .singleElement().asString().startsWith(".name:");
        for (String format : List.of("scan\u202Ener", "scan\u200Bner", "\uFEFFscanner")) {
            assertThat(JsonSchemaSubset.violations(V018_ApiKeys.apiKeys(), new Document(key).append("name", format)))
                    .singleElement().asString().startsWith(".name:");
        }
        // A plain SHA-256 in hex is no base64url HMAC of 43 characters.
        assertThat(JsonSchemaSubset.violations(V018_ApiKeys.apiKeys(),
                new Document(key).append("hash", "0123456789abcdef".repeat(4)))).isNotEmpty()
                .allSatisfy(violation -> assertThat(violation).startsWith(".hash:"));
        assertThat(JsonSchemaSubset.violations(V018_ApiKeys.apiKeys(), new Document(key).append("prefix", "ABCDEFGH2345")))
                .singleElement().asString().startsWith(".prefix:");
    }

    @Test
    void theMetricsExpiryRetentionShowsIsTheOneV001GaveTheTimeSeries() {
        assertThat(com.phishnet.store.retention.RetentionService.METRICS_EXPIRY.toSeconds())
                .isEqualTo(V001_CreateCollections.METRICS_EXPIRE_AFTER_SECONDS);
    }
}
