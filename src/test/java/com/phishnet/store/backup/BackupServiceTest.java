package com.phishnet.store.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.phishnet.store.audit.AuditService;
import com.phishnet.store.backup.BackupProperties.Encryption;
import com.phishnet.store.jobs.JobRunner;
import com.phishnet.store.jobs.JobService;
import com.phishnet.store.platform.crypto.Sha256;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.web.ApiException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * Packing, storing and verifying archives with the real writers, store and cipher; MongoDB, jobs and audit are
 * mocked (nothing here is about MongoDB semantics: BackupIT runs the whole path on a server).
 */
class BackupServiceTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private static final Caller OPERATOR = new Caller("ops-1", "ops", Set.of(), Set.of("service:operator"), "127.0.0.1",
            "test", "r-1");

    @TempDir
    Path root;

    private final Scheduler scheduler = Schedulers.newBoundedElastic(2, 100, "backup-test");
    private final BackupRepository repository = mock(BackupRepository.class);
    private final AuditService audit = mock(AuditService.class);
    private final JobService jobs = mock(JobService.class);
    private final Transactions transactions = mock(Transactions.class);
    /** What other features claim; none unless a test says so. */
    private final java.util.List<ArchiveHolds> holds = new java.util.ArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @org.junit.jupiter.api.BeforeEach
    void noOrphans() {
        given(repository.running()).willReturn(reactor.core.publisher.Flux.empty());
    }

    @AfterEach
    void dispose() {
        scheduler.dispose();
    }

    @Test
    void aPackedArchiveIsTheManifestThenEveryFileAndItsChecksumIsOfTheBytesStored() throws Exception {
        BackupService service = service(null);
        Path work = root.resolve("work");

        BackupService.Archive archive = service.pack(export(work, "b-1"), work);

        assertThat(archive.sha256()).isEqualTo(Sha256.hex(Files.readAllBytes(archive.file())));
        assertThat(archive.bytes()).isEqualTo(Files.size(archive.file()));
        List<String> paths = new ArrayList<>();
        try (InputStream in = Files.newInputStream(archive.file())) {
            BackupArchive.read(in, (path, content) -> paths.add(path));
        }
        assertThat(paths).containsExactly("manifest.json", "dump/phishnet/users.metadata.json.gz",
                "dump/phishnet/users.bson.gz");
        try (InputStream in = Files.newInputStream(archive.file())) {
            var verification = new ArchiveVerifier(ArchiveVerifierTest.JSON).verify(in);
            assertThat(verification.problems()).isEmpty();
            assertThat(verification.documents()).isEqualTo(3);
            assertThat(verification.manifest().backupId()).isEqualTo("b-1");
        }
    }

    @Test
    void withABackupKeyTheStoredArchiveIsSealedAndOpensToTheSameTar() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        BackupService service = service(new Encryption("backup-7", Base64.getEncoder().encodeToString(key), null));
        Path work = root.resolve("work");

        BackupService.Archive archive = service.pack(export(work, "b-2"), work);

        byte[] start = new byte[8];
        try (InputStream in = Files.newInputStream(archive.file())) {
            assertThat(in.read(start)).isEqualTo(8);
        }
        assertThat(ArchiveCipher.isEncrypted(start)).isTrue();
        assertThat(Files.exists(work.resolve("archive.tar"))).as("the plain tar is not left behind").isFalse();
        var plain = new ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(archive.file())) {
            ArchiveCipher.decrypt(in, plain, keyId -> keyId.equals("backup-7") ? Optional.of(key) : Optional.empty());
        }
        var verification = new ArchiveVerifier(ArchiveVerifierTest.JSON).verify(new java.io.ByteArrayInputStream(plain.toByteArray()));
        assertThat(verification.passed()).isTrue();
    }

    @Test
    void verifyPassesOnAnIntactArchiveAndReportsAFlippedByteAsAChecksumProblem() throws Exception {
        FileSystemBackupStore store = new FileSystemBackupStore(root.resolve("store"), scheduler);
        BackupService service = service(null, store);
        Path work = root.resolve("work");
        BackupService.Archive archive = service.pack(export(work, "b-3"), work);
        String sha256 = archive.sha256();
        long size = archive.bytes();
        store.put("b-3", archive.file()).block();
        given(repository.find("b-3")).willReturn(Mono.just(completed("b-3", size, sha256, null)));
        given(repository.recordVerification(eq("b-3"), any())).willAnswer(invocation ->
                Mono.just(withVerification(completed("b-3", size, sha256, null), invocation.getArgument(1))));

        StepVerifier.create(service.verify(OPERATOR, "b-3"))
                .assertNext(view -> {
                    assertThat(view.verification().passed()).as("%s", view.verification().problems()).isTrue();
                    assertThat(view.verification().documents()).isEqualTo(3);
                })
                .verifyComplete();

        Path stored = root.resolve("store").resolve("b-3.tar");
        try (RandomAccessFile file = new RandomAccessFile(stored.toFile(), "rw")) {
            file.seek(file.length() - 1030);
            int original = file.read();
            file.seek(file.length() - 1030);
            file.write(original ^ 0x40);
        }

        StepVerifier.create(service.verify(OPERATOR, "b-3"))
                .assertNext(view -> {
                    assertThat(view.verification().passed()).isFalse();
                    assertThat(view.verification().problems().get(0)).contains("SHA-256", sha256);
                })
                .verifyComplete();
    }

    @Test
    void anArchiveSealedWithAKeyTheServiceLacksIsAConflictNamingTheKey() throws Exception {
        byte[] key = new byte[32];
        FileSystemBackupStore store = new FileSystemBackupStore(root.resolve("store"), scheduler);
        BackupService sealing = service(new Encryption("backup-old", Base64.getEncoder().encodeToString(key), null), store);
        Path work = root.resolve("work");
        BackupService.Archive archive = sealing.pack(export(work, "b-4"), work);
        long size = archive.bytes();
        String sha256 = archive.sha256();
        store.put("b-4", archive.file()).block();
        given(repository.find("b-4")).willReturn(Mono.just(completed("b-4", size, sha256, "backup-old")));
        BackupService withoutThatKey = service(new Encryption("backup-new",
                Base64.getEncoder().encodeToString(new byte[32]), null), store);

        StepVerifier.create(withoutThatKey.verify(OPERATOR, "b-4"))
                .expectErrorSatisfies(failure -> assertThat(failure).isInstanceOf(ApiException.Conflict.class)
                        .hasMessageContaining("backup-old"))
                .verify();
    }

    @Test
    void anArchiveSealedBeforeABackupKeyRotationStillVerifiesWithTheRetiredKeyAmongThePreviousOnes() throws Exception {
        byte[] old = new byte[32];
        new SecureRandom().nextBytes(old);
        String oldKey = Base64.getEncoder().encodeToString(old);
        FileSystemBackupStore store = new FileSystemBackupStore(root.resolve("store"), scheduler);
        Path work = root.resolve("work");
        BackupService.Archive archive = service(new Encryption("backup-old", oldKey, null), store).pack(export(work, "b-10"), work);
        long size = archive.bytes();
        String sha256 = archive.sha256();
        store.put("b-10", archive.file()).block();
        given(repository.find("b-10")).willReturn(Mono.just(completed("b-10", size, sha256, "backup-old")));
        given(repository.recordVerification(eq("b-10"), any())).willAnswer(invocation ->
                Mono.just(withVerification(completed("b-10", size, sha256, "backup-old"), invocation.getArgument(1))));
        BackupService rotated = service(new Encryption("backup-new", Base64.getEncoder().encodeToString(new byte[32]),
                "backup-old:" + oldKey), store);

        StepVerifier.create(rotated.verify(OPERATOR, "b-10"))
                .assertNext(view -> assertThat(view.verification().passed()).as("%s", view.verification().problems()).isTrue())
                .verifyComplete();
    }

    @Test
    void onlyACompletedBackupCanBeVerifiedOrDownloaded() {
        BackupService service = service(null);
        Backup running = Backup.requested("b-5", BackupTrigger.MANUAL, "ops-1", "ops", NOW, null, null, null);
        given(repository.find("b-5")).willReturn(Mono.just(running));
        given(repository.find("nope")).willReturn(Mono.empty());

        StepVerifier.create(service.verify(OPERATOR, "b-5")).expectError(ApiException.Conflict.class).verify();
        StepVerifier.create(service.download(OPERATOR, "b-5", ArchiveRange.WHOLE)).expectError(ApiException.Conflict.class).verify();
        StepVerifier.create(service.verify(OPERATOR, "nope")).expectError(ApiException.NotFound.class).verify();
        StepVerifier.create(service.delete(OPERATOR, "b-5")).expectError(ApiException.Conflict.class).verify();
    }

    @Test
    void aRunStoresTheArchiveAndCompletesBackupJobAndAuditTogether() {
        var fixture = runFixture("b-8");
        given(jobs.complete("b-8")).willReturn(Mono.just(runningJob("b-8")));

        StepVerifier.create(fixture.service().run(fixture.requested(), OPERATOR))
                .assertNext(done -> {
                    assertThat(done.state()).isEqualTo(BackupState.COMPLETED);
                    assertThat(done.documents()).isEqualTo(3);
                })
                .verifyComplete();

        assertThat(root.resolve("store").resolve("b-8.tar")).exists();
        org.mockito.Mockito.verify(transactions).run(eq("ops"), any());
        ArgumentCaptor<com.phishnet.store.audit.AuditEvent> events = ArgumentCaptor.forClass(com.phishnet.store.audit.AuditEvent.class);
        org.mockito.Mockito.verify(audit).record(events.capture());
        assertThat(events.getValue().type()).isEqualTo(com.phishnet.store.audit.AuditEventType.BACKUP_CREATED);
    }

    @Test
    void aJobCancelledBeforeTheBackupIsRecordedLeavesItFailedAndItsArchiveRemoved() {
        var fixture = runFixture("b-9");
        given(jobs.complete("b-9")).willReturn(Mono.empty());
        given(repository.fail(eq("b-9"), any(), any())).willReturn(Mono.just(fixture.requested()));
        given(jobs.fail(eq("b-9"), any())).willReturn(Mono.empty());

        StepVerifier.create(fixture.service().run(fixture.requested(), OPERATOR)).expectNextCount(1).verifyComplete();

        ArgumentCaptor<String> reason = ArgumentCaptor.forClass(String.class);
        org.mockito.Mockito.verify(repository).fail(eq("b-9"), reason.capture(), any());
        assertThat(reason.getValue()).contains("stopped running", "cancelled");
        assertThat(root.resolve("store").resolve("b-9.tar")).doesNotExist();
        ArgumentCaptor<com.phishnet.store.audit.AuditEvent> events = ArgumentCaptor.forClass(com.phishnet.store.audit.AuditEvent.class);
        org.mockito.Mockito.verify(audit, org.mockito.Mockito.atLeastOnce()).record(events.capture());
        assertThat(events.getAllValues()).extracting(com.phishnet.store.audit.AuditEvent::type)
                .containsExactly(com.phishnet.store.audit.AuditEventType.BACKUP_FAILED);
    }

    @Test
    void aCompletedRunCountsOnceAsCompletedUnderItsTrigger() {
        var fixture = runFixture("b-13");
        given(jobs.complete("b-13")).willReturn(Mono.just(runningJob("b-13")));

        StepVerifier.create(fixture.service().run(fixture.requested(), OPERATOR)).expectNextCount(1).verifyComplete();

        assertThat(finished("manual", "completed")).isEqualTo(1);
        assertThat(finished("manual", "failed")).isZero();
        assertThat(finished("scheduled", "completed")).isZero();
    }

    @Test
    void aRunWhoseCompletionDidNotCommitCountsOnlyAsFailed() {
        var fixture = runFixture("b-14");
        given(jobs.complete("b-14")).willReturn(Mono.empty());
        given(repository.fail(eq("b-14"), any(), any())).willReturn(Mono.just(fixture.requested()));
        given(jobs.fail(eq("b-14"), any())).willReturn(Mono.empty());

        StepVerifier.create(fixture.service().run(fixture.requested(), OPERATOR)).expectNextCount(1).verifyComplete();

        assertThat(finished("manual", "failed")).isEqualTo(1);
        assertThat(finished("manual", "completed")).isZero();
    }

    @Test
    void aFailureAnotherWorkerAlreadyRecordedIsNotCountedAgain() {
        var fixture = runFixture("b-15");
        given(jobs.complete("b-15")).willReturn(Mono.empty());
        // The record had already left RUNNING: this worker's write flips nothing.
        given(repository.fail(eq("b-15"), any(), any())).willReturn(Mono.empty());

        StepVerifier.create(fixture.service().run(fixture.requested(), OPERATOR)).verifyComplete();

        assertThat(meters.get(BackupMetrics.FINISHED).counters()).allSatisfy(counter -> assertThat(counter.count()).isZero());
    }

    @Test
    void aRetentionArchiveDiscardedUnverifiedCountsAsAFailedRetentionBackupOnlyWhenThisCallFailedIt() {
        BackupStore store = mock(BackupStore.class);
        given(store.delete(any())).willReturn(Mono.empty());
        given(transactions.run(any(), any())).willAnswer(invocation ->
                ((java.util.function.Supplier<?>) invocation.getArgument(1)).get());
        given(audit.record(any())).willReturn(Mono.empty());
        Backup archive = Backup.requested("a-2", BackupTrigger.RETENTION, "ops-1", "ops", NOW, null, null, null);
        given(repository.failUnlessVerified(eq("a-2"), any(), any())).willReturn(Mono.just(archive), Mono.empty());
        BackupService service = service(null, store);

        StepVerifier.create(service.discardArchive(OPERATOR, "a-2", "did not verify")).verifyComplete();
        StepVerifier.create(service.discardArchive(OPERATOR, "a-2", "did not verify")).verifyComplete();

        assertThat(finished("retention", "failed")).isEqualTo(1);
    }

    private double finished(String trigger, String outcome) {
        return meters.get(BackupMetrics.FINISHED).tags("trigger", trigger, "outcome", outcome).counter().count();
    }

    private record RunFixture(BackupService service, Backup requested) {
    }

    /** A service whose exporter stages a small dump and whose MongoDB parts answer as a real run's would. */
    private RunFixture runFixture(String id) {
        SnapshotExporter exporter = mock(SnapshotExporter.class);
        given(exporter.export(any(), any(), any(), any())).willAnswer(invocation ->
                Mono.just(export(((Path) invocation.getArgument(1)).getParent(), id)));
        given(transactions.run(any(), any())).willAnswer(invocation ->
                ((java.util.function.Supplier<?>) invocation.getArgument(1)).get());
        given(jobs.progress(any(), org.mockito.ArgumentMatchers.anyLong(), org.mockito.ArgumentMatchers.anyLong(), any()))
                .willReturn(Mono.just(runningJob(id)));
        given(repository.complete(eq(id), any())).willAnswer(invocation -> Mono.just(invocation.getArgument(1)));
        given(audit.record(any())).willReturn(Mono.empty());
        Backup requested = Backup.requested(id, BackupTrigger.MANUAL, "ops-1", "ops", NOW, null, null, null);
        return new RunFixture(service(null, new FileSystemBackupStore(root.resolve("store"), scheduler),
                mock(BackupRestorer.class), exporter), requested);
    }

    private static com.phishnet.store.jobs.JobRequests.JobView runningJob(String id) {
        return com.phishnet.store.jobs.JobRequests.JobView.of(new com.phishnet.store.jobs.Job(id,
                com.phishnet.store.jobs.JobType.BACKUP, com.phishnet.store.jobs.JobScope.SERVICE,
                com.phishnet.store.jobs.JobState.RUNNING, "ops-1", "ops", null, NOW, NOW, null, 0, 0, null, null));
    }

    @Test
    void anArchiveAnotherFeatureStillNeedsIsNotDeletedAndTheConflictSaysWhy() {
        BackupStore store = mock(BackupStore.class);
        holds.add(id -> id.equals("a-1") ? Mono.just("retention run r-1 has not finished deleting what it archived")
                : Mono.empty());
        BackupService service = service(null, store);
        Backup archive = new Backup("a-1", BackupState.COMPLETED, BackupTrigger.RETENTION, "ops-1", "ops", NOW, NOW,
                "retention run r-1", null, java.util.List.of("emails_meta"), null, null, null, null, null, null, null,
                null, null, null, null);
        given(repository.running()).willReturn(reactor.core.publisher.Flux.empty());
        given(repository.find("a-1")).willReturn(Mono.just(archive));

        StepVerifier.create(service.delete(OPERATOR, "a-1"))
                .expectErrorSatisfies(refused -> assertThat(refused).isInstanceOf(ApiException.Conflict.class)
                        .hasMessageContaining("retention run r-1"))
                .verify();

        org.mockito.Mockito.verifyNoInteractions(store);
        org.mockito.Mockito.verify(repository, org.mockito.Mockito.never()).deleteFinished(any());
    }

    @Test
    void aRunningBackupWhoseJobWasCancelledWithNoWorkerLeftIsFailedAndItsArchiveRemovedBeforeADelete() {
        BackupStore store = mock(BackupStore.class);
        BackupService service = service(null, store);
        Backup orphan = Backup.requested("b-11", BackupTrigger.MANUAL, "ops-1", "ops", NOW, null, null, null);
        given(repository.running()).willReturn(reactor.core.publisher.Flux.just(orphan));
        given(jobs.get(eq("b-11"), eq(com.phishnet.store.jobs.JobType.BACKUP), any())).willReturn(Mono.just(
                com.phishnet.store.jobs.JobRequests.JobView.of(new com.phishnet.store.jobs.Job("b-11",
                        com.phishnet.store.jobs.JobType.BACKUP, com.phishnet.store.jobs.JobScope.SERVICE,
                        com.phishnet.store.jobs.JobState.FAILED, "ops-1", "ops", null, NOW, NOW, NOW, 0, 0, null,
                        "cancelled by ops-2"))));
        given(repository.fail(eq("b-11"), any(), any())).willReturn(Mono.just(orphan));
        given(jobs.fail(eq("b-11"), any())).willReturn(Mono.empty());
        given(transactions.run(any(), any())).willAnswer(invocation ->
                ((java.util.function.Supplier<?>) invocation.getArgument(1)).get());
        given(audit.record(any())).willReturn(Mono.empty());
        given(store.delete(any())).willReturn(Mono.empty());
        given(repository.find("b-12")).willReturn(Mono.empty());

        StepVerifier.create(service.delete(OPERATOR, "b-12")).expectError(ApiException.NotFound.class).verify();

        ArgumentCaptor<String> reason = ArgumentCaptor.forClass(String.class);
        org.mockito.Mockito.verify(repository).fail(eq("b-11"), reason.capture(), any());
        assertThat(reason.getValue()).contains("cancelled by ops-2");
        org.mockito.Mockito.verify(store).delete("b-11");
    }

    @Test
    void anUnreadableArchiveIsAFailedVerificationWithinTheValidatorsBounds() {
        BackupStore store = mock(BackupStore.class);
        BackupService service = service(null, store);
        given(store.read(any(), org.mockito.ArgumentMatchers.anyLong(), org.mockito.ArgumentMatchers.anyLong()))
                .willReturn(reactor.core.publisher.Flux.error(new IllegalStateException("x".repeat(5000))));
        given(repository.find("b-6")).willReturn(Mono.just(completed("b-6", 10, "a".repeat(64), null)));
        given(repository.recordVerification(eq("b-6"), any())).willAnswer(invocation ->
                Mono.just(withVerification(completed("b-6", 10, "a".repeat(64), null), invocation.getArgument(1))));

        StepVerifier.create(service.verify(OPERATOR, "b-6"))
                .assertNext(view -> {
                    assertThat(view.verification().passed()).isFalse();
                    assertThat(view.verification().problems()).singleElement().satisfies(problem -> assertThat(problem)
                            .startsWith("The stored archive could not be read").hasSize(BackupFields.MAX_PROBLEM_LENGTH));
                })
                .verifyComplete();
    }

    @Test
    void aRestoreTargetTheServiceUserMayNotUseIsAConflictSayingWhichRolesToGrant() {
        BackupRestorer restorer = mock(BackupRestorer.class);
        given(repository.find("b-7")).willReturn(Mono.just(completed("b-7", 10, "a".repeat(64), null)));
        given(restorer.conflicts(eq("other_db"), any())).willReturn(Mono.error(new com.mongodb.MongoCommandException(
                org.bson.BsonDocument.parse("{ok: 0, code: 13, codeName: 'Unauthorized', errmsg: 'not authorized on other_db'}"),
                new com.mongodb.ServerAddress())));

        StepVerifier.create(service(null, new FileSystemBackupStore(root.resolve("store"), scheduler), restorer)
                        .launchRestore(OPERATOR, "b-7", "other_db"))
                .expectErrorSatisfies(failure -> assertThat(failure).isInstanceOf(ApiException.Conflict.class)
                        .hasMessageContaining("other_db").hasMessageContaining("readWrite and dbAdmin"))
                .verify();
    }

    @Test
    void retentionDeletesArchiveThenRecordOfWhatItNoLongerKeepsAndAuditsEach() {
        BackupStore store = mock(BackupStore.class);
        BackupService service = service(null, store);
        // keep-last 7, keep-days 30: ten completed backups, one a day; the oldest three go.
        List<Backup> finished = new ArrayList<>();
        for (int day = 0; day < 10; day++) {
            finished.add(completedAt("b-" + day, NOW.minus(Duration.ofDays(31 + day))));
        }
        given(repository.finished()).willReturn(reactor.core.publisher.Flux.fromIterable(finished));
        for (Backup backup : finished) {
            given(repository.find(backup.id())).willReturn(Mono.just(backup));
            given(repository.deleteFinished(backup.id())).willReturn(Mono.just(backup));
        }
        given(store.delete(any())).willReturn(Mono.empty());
        given(audit.recordAlone(any())).willReturn(Mono.empty());

        StepVerifier.create(service.applyRetention()).expectNext(3).verifyComplete();

        var order = org.mockito.Mockito.inOrder(store, repository);
        for (String id : List.of("b-9", "b-8", "b-7")) {
            order.verify(store).delete(id);
            order.verify(repository).deleteFinished(id);
        }
        org.mockito.Mockito.verify(store, org.mockito.Mockito.never()).delete("b-6");
        org.mockito.Mockito.verify(audit, org.mockito.Mockito.times(3)).recordAlone(any());
    }

    private static Backup completedAt(String id, Instant at) {
        return new Backup(id, BackupState.COMPLETED, BackupTrigger.SCHEDULED, "phishnet-store:backup-schedule",
                "phishnet-service", at, at, null, null, null, "phishnet", new Backup.ClusterTime(1, 1), List.of(),
                List.of(), 1L, 10L, "a".repeat(64), "file:///b/" + id + ".tar", null,
                new Backup.Verification(true, at, 1, List.of()), null);
    }

    private SnapshotExporter.Export export(Path work, String backupId) {
        Path files = work.resolve("files");
        List<RawBsonDocument> documents = List.of(RawBsonDocument.parse("{_id: 'u-1', tenantId: 'acme'}"),
                RawBsonDocument.parse("{_id: 'u-2', tenantId: 'acme'}"), RawBsonDocument.parse("{_id: 'u-3', tenantId: 'globex'}"));
        String metadataPath = DumpLayout.metadataPath("phishnet", "users");
        String bsonPath = DumpLayout.bsonPath("phishnet", "users");
        DumpFile metadata;
        try (DumpFileWriter writer = new DumpFileWriter(files.resolve(metadataPath), metadataPath)) {
            writer.writeBytes("{\"indexes\":[],\"collectionName\":\"users\",\"type\":\"collection\"}".getBytes(StandardCharsets.UTF_8));
            metadata = writer.finish();
        }
        DumpFile bson;
        try (DumpFileWriter writer = new DumpFileWriter(files.resolve(bsonPath), bsonPath)) {
            documents.forEach(writer::write);
            bson = writer.finish();
        }
        var manifest = new BackupManifest(BackupManifest.FORMAT, "test", backupId, "phishnet",
                new BackupManifest.ClusterTime(1_765_015_200L, 1), NOW, null, List.of(),
                List.of(new BackupManifest.Collection("users", 3, bsonPath, metadataPath)), List.of(metadata, bson));
        return new SnapshotExporter.Export(manifest, List.of(metadataPath, bsonPath));
    }

    private static Backup completed(String id, long size, String sha256, String encryptionKeyId) {
        return new Backup(id, BackupState.COMPLETED, BackupTrigger.MANUAL, "ops-1", "ops", NOW, NOW, null, null, null,
                "phishnet", new Backup.ClusterTime(1_765_015_200L, 1), List.of(), List.of(), 3L, size, sha256,
                "file:///store/" + id + ".tar", encryptionKeyId, null, null);
    }

    private static Backup withVerification(Backup backup, Backup.Verification verification) {
        return new Backup(backup.id(), backup.state(), backup.trigger(), backup.requestedBy(), backup.requestedByTenant(),
                backup.requestedAt(), backup.completedAt(), backup.note(), backup.tenantId(),
                backup.requestedCollections(), backup.database(), backup.clusterTime(), backup.contents(),
                backup.keyIds(), backup.documents(), backup.sizeBytes(), backup.checksum(), backup.location(),
                backup.encryptionKeyId(), verification, backup.error());
    }

    private BackupService service(Encryption encryption) {
        return service(encryption, new FileSystemBackupStore(root.resolve("store"), scheduler));
    }

    private BackupService service(Encryption encryption, BackupStore store) {
        return service(encryption, store, mock(BackupRestorer.class));
    }

    private BackupService service(Encryption encryption, BackupStore store, BackupRestorer restorer) {
        return service(encryption, store, restorer, mock(SnapshotExporter.class));
    }

    private BackupService service(Encryption encryption, BackupStore store, BackupRestorer restorer,
            SnapshotExporter exporter) {
        given(audit.recordAlone(any())).willReturn(Mono.empty());
        var properties = new BackupProperties(BackupProperties.StoreKind.FILESYSTEM, root.resolve("store"),
                root.resolve("staging"), new BackupProperties.S3(null, "us-east-1", null, "", null, null, false),
                encryption == null ? new Encryption("backup-1", null, null) : encryption, 1000, 2, Duration.ofSeconds(300),
                new BackupProperties.Retention(7, 30), new BackupProperties.Schedule(null, Duration.ofHours(2)));
        return new BackupService(repository, exporter, store,
                new ArchiveVerifier(ArchiveVerifierTest.JSON), restorer, jobs, mock(JobRunner.class), audit, transactions,
                ArchiveVerifierTest.JSON, properties, scheduler,
                Clock.fixed(NOW, ZoneOffset.UTC), new SecureRandom(), holds, new BackupMetrics(meters));
    }
}
