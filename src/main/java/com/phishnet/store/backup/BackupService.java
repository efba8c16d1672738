package com.phishnet.store.backup;

import com.phishnet.store.jobs.JobState;
import com.mongodb.MongoException;
import java.util.function.LongSupplier;
import java.util.concurrent.RejectedExecutionException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import com.phishnet.store.audit.AuditEvent;
import com.phishnet.store.audit.AuditEventType;
import com.phishnet.store.audit.AuditOutcome;
import com.phishnet.store.audit.AuditService;
import com.phishnet.store.backup.BackupRequests.BackupView;
import com.phishnet.store.backup.BackupRequests.CreateBackup;
import com.phishnet.store.backup.BackupRequests.Started;
import com.phishnet.store.jobs.JobRequests.JobView;
import com.phishnet.store.jobs.JobRunner;
import com.phishnet.store.jobs.JobService;
import com.phishnet.store.jobs.JobType;
import com.phishnet.store.platform.crypto.Sha256;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.Access;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.platform.web.PageRequest;
import com.phishnet.store.platform.web.PageResponse;
import org.bson.RawBsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.stereotype.Service;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * Backups as jobs: one at a time across instances (the jobs' unique index), read at one cluster time, packed in
 * mongodump's layout, optionally encrypted, stored, and verified on request or on schedule.
 */
@Service
public class BackupService implements ScheduledBackups {

    /** A running backup records its progress at most this often (and at the end of each collection). */
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(BackupService.class);

    private final BackupRepository backups;
    private final SnapshotExporter exporter;
    private final BackupStore store;
    private final ArchiveVerifier verifier;
    private final BackupRestorer restorer;
    private final JobService jobs;
    private final JobRunner runner;
    private final AuditService audit;
    private final Transactions transactions;
    private final JsonMapper json;
    private final BackupProperties properties;
    private final Scheduler compression;
    private final Clock clock;
    private final SecureRandom random;
    private final List<ArchiveHolds> holds;
    private final BackupMetrics metrics;
    private final String serviceVersion;

    public BackupService(BackupRepository backups, SnapshotExporter exporter, BackupStore store, ArchiveVerifier verifier,
            BackupRestorer restorer, JobService jobs, JobRunner runner, AuditService audit, Transactions transactions, JsonMapper json,
            BackupProperties properties, Scheduler compression, Clock clock, SecureRandom random, List<ArchiveHolds> holds,
            BackupMetrics metrics) {
        this.backups = backups;
        this.exporter = exporter;
        this.store = store;
        this.verifier = verifier;
        this.restorer = restorer;
        this.jobs = jobs;
        this.runner = runner;
        this.audit = audit;
        this.transactions = transactions;
        this.json = json;
        this.properties = properties;
        this.compression = compression;
        this.clock = clock;
        this.random = random;
        this.holds = List.copyOf(holds);
        this.metrics = metrics;
        String version = BackupService.class.getPackage().getImplementationVersion();
        this.serviceVersion = "phishnet-store " + (version == null ? "development" : version);
    }

    public static URI location(String id) {
        return UriComponentsBuilder.fromPath("/api/v1/admin/backups/{id}").build(id);
    }

    // ---- starting and running ------------------------------------------------------------------------------

    /** Checks the request, records the backup and its job, and runs it in the background. 409 while one runs. */
    public Mono<Started> launch(Caller caller, CreateBackup request) {
        return start(caller, request, BackupTrigger.MANUAL)
                .doOnNext(backup -> runner.launch(backup.id(), run(backup, caller)))
                .map(backup -> new Started(backup.id(), backup.id(), backup.state()));
    }

    Mono<Backup> start(Caller caller, CreateBackup request, BackupTrigger trigger) {
        return checkedCollections(request.collections())
                .then(settleOrphans(caller))
                // A backup left by a stopped instance is failed with its job, its archive removed (settleOrphans).
                .then(jobs.startExclusive(JobType.BACKUP, () -> startOnce(caller, request, trigger),
                        abandoned -> settleOrphans(caller), running -> location(running.id()), "Backup"));
    }

    private Mono<Void> checkedCollections(List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            return Mono.empty();
        }
        return exporter.dataCollections().flatMap(known -> {
            List<String> unknown = requested.stream().filter(name -> !known.contains(name)).distinct().toList();
            return unknown.isEmpty() ? Mono.empty() : Mono.error(new ApiException.InvalidField("collections",
                    "Not data collections of this database: " + unknown + ". A backup can hold: " + known + "."));
        });
    }

    private Mono<Backup> startOnce(Caller caller, CreateBackup request, BackupTrigger trigger) {
        return transactions.run(caller.tenantId(), () -> jobs.start(JobType.BACKUP, caller)
                .flatMap(job -> backups.insert(Backup.requested(job.id(), trigger, caller.subject(), caller.tenantId(),
                        job.startedAt(), blankToNull(request.note()), request.tenantId(),
                        request.collections() == null ? null : request.collections().stream().distinct().sorted().toList())))
                .flatMap(backup -> audit.record(event(caller, AuditEventType.BACKUP_STARTED, backup.id())
                                .withDetail("trigger", trigger.name())
                                .withDetail("scope", backup.tenantId() == null ? "all tenants" : "tenant " + backup.tenantId()))
                        .thenReturn(backup)));
    }

    /**
     * Exports, packs, stores and records the backup; marks it and its job failed (with the reason) on any error.
     * Never errors itself. Staging files are removed either way.
     */
    Mono<Backup> run(Backup backup, Caller caller) {
        Path workDir = properties.staging().resolve(backup.id());
        var plan = new SnapshotExporter.Plan(backup.id(), backup.tenantId(), backup.requestedCollections());
        var progress = new JobProgress(backup.id());
        return exporter.export(plan, workDir.resolve("files"), serviceVersion, progress)
                .flatMap(export -> progress.flush().thenReturn(export))
                // Packing and uploading read no documents: a heartbeat keeps the job from looking abandoned.
                .flatMap(export -> withHeartbeat(backup.id(), null, () -> 0L,
                        Mono.fromCallable(() -> pack(export, workDir)).subscribeOn(compression)
                                .flatMap(archive -> store.put(backup.id(), archive.file())
                                        .map(stored -> completed(backup, export.manifest(), archive, stored)))))
                // The backup, its job and the audit entry complete together or not at all: a job cancelled (or
                // taken over) meanwhile leaves nothing completed, and the stored archive is removed as failed.
                .flatMap(done -> transactions.run(caller.tenantId(), () -> backups.complete(backup.id(), done)
                        .switchIfEmpty(Mono.error(() -> stopped(backup.id())))
                        .flatMap(completed -> jobs.complete(backup.id())
                                .switchIfEmpty(Mono.error(() -> stopped(backup.id())))
                                .then(Mono.defer(() -> audit.record(event(caller, AuditEventType.BACKUP_CREATED, backup.id())
                                        .withDetail("documents", Long.toString(completed.documents()))
                                        .withDetail("bytes", Long.toString(completed.sizeBytes()))
                                        .withDetail("sha256", completed.checksum()))))
                                .thenReturn(completed))))
                // After the commit: a completion that did not commit is counted as the failure it becomes below.
                .doOnNext(completed -> metrics.completed(backup.trigger()))
                .onErrorResume(failure -> failed(backup, caller, failure))
                .doFinally(signal -> removeLater(workDir));
    }

    /**
     * Backups still RUNNING whose job is not (cancelled, or taken over, while no worker was left to notice): nothing
     * would ever finish them, so they are failed here, their stored archive removed. Runs before a start, a delete
     * and retention; a live worker that gets there first does the same, and only one of the two flips the record.
     */
    Mono<Void> settleOrphans(Caller caller) {
        return backups.running()
                .concatMap(backup -> jobs.get(backup.id(), JobType.BACKUP, caller)
                        .filter(job -> job.state() != JobState.RUNNING)
                        .flatMap(job -> failed(backup, caller, new IllegalStateException("The backup's job stopped "
                                + "without it: " + (job.error() == null ? job.state() : job.error())))))
                .then();
    }

    private static IllegalStateException stopped(String backupId) {
        return new IllegalStateException("The backup's job " + backupId + " stopped running before the backup was "
                + "done (cancelled, or taken over after " + JobService.STALE_AFTER + " of silence)");
    }

    /** Records the failure on the backup and its job, audits it, and removes whatever the store already holds of it. */
    private Mono<Backup> failed(Backup backup, Caller caller, Throwable failure) {
        String reason = JobService.failureReason(failure);
        log.error("backup {} failed: {}", backup.id(), reason, failure);
        // Only a backup this marks FAILED loses its archive: one whose completion did commit keeps it.
        return backups.fail(backup.id(), reason, clock.instant())
                // Only the caller whose write flipped the record counts it (empty when it had already stopped).
                .doOnNext(failedBackup -> metrics.failed(backup.trigger()))
                .flatMap(failedBackup -> store.delete(backup.id())
                        .onErrorResume(deleteFailure -> {
                            log.warn("backup {}: could not remove its stored archive", backup.id(), deleteFailure);
                            return Mono.empty();
                        })
                        .then(jobs.fail(backup.id(), reason))
                        .then(transactions.run(caller.tenantId(), () -> audit.record(event(caller,
                                        AuditEventType.BACKUP_FAILED, backup.id())
                                .withOutcome(AuditOutcome.FAILURE)
                                .withDetail("reason", reason.length() > 500 ? reason.substring(0, 500) : reason))))
                        .thenReturn(failedBackup))
                .onErrorResume(recordFailure -> {
                    log.error("backup {}: could not record its failure", backup.id(), recordFailure);
                    return Mono.empty();
                });
    }


    /** The file stored, its size and the SHA-256 of exactly its bytes (what a download returns). */
    record Archive(Path file, long bytes, String sha256) {
    }

    /** manifest.json, then every dump file, into one tar; then, with a backup key, its encrypted form. */
    Archive pack(SnapshotExporter.Export export, Path workDir) throws IOException {
        Path files = workDir.resolve("files");
        Files.createDirectories(files);
        Files.write(files.resolve(BackupArchive.MANIFEST), json.writeValueAsBytes(export.manifest()));
        List<String> paths = new ArrayList<>();
        paths.add(BackupArchive.MANIFEST);
        paths.addAll(export.paths());
        Path tar = workDir.resolve("archive.tar");
        Archive plain = written(tar, out -> BackupArchive.pack(files, paths, out));
        // The dump files are in the tar now: staging holds at most two copies (the tar and its sealed form).
        deleteQuietly(files);
        if (!properties.encryption().enabled()) {
            return plain;
        }
        Path sealed = workDir.resolve("archive.tar.sealed");
        byte[] key = backupKey();
        Archive encrypted;
        try (InputStream in = Files.newInputStream(tar)) {
            encrypted = written(sealed, out -> ArchiveCipher.encrypt(in, out, properties.encryption().keyId(), key, random));
        }
        Files.delete(tar);
        return encrypted;
    }

    private interface Writing {
        void to(OutputStream out) throws IOException;
    }

    private static Archive written(Path file, Writing writing) throws IOException {
        MessageDigest digest = Sha256.digest();
        try (OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024),
                digest)) {
            writing.to(out);
        }
        return new Archive(file, Files.size(file), Sha256.hex(digest));
    }

    private Backup completed(Backup backup, BackupManifest manifest, Archive archive, BackupStore.Stored stored) {
        List<Backup.Content> contents = new ArrayList<>();
        long documents = 0;
        for (BackupManifest.Collection collection : manifest.collections()) {
            DumpFile bson = manifest.files().stream().filter(file -> file.path().equals(collection.bsonFile()))
                    .findFirst().orElseThrow();
            contents.add(new Backup.Content(collection.name(), collection.documents(), bson.bytes(), bson.sha256()));
            documents += collection.documents();
        }
        return new Backup(backup.id(), BackupState.COMPLETED, backup.trigger(), backup.requestedBy(),
                backup.requestedByTenant(), backup.requestedAt(), clock.instant(), backup.note(), backup.tenantId(),
                backup.requestedCollections(), manifest.database(),
                new Backup.ClusterTime(manifest.clusterTime().t(), manifest.clusterTime().i()), contents,
                manifest.keyIds(), documents, archive.bytes(), archive.sha256(), stored.location(),
                properties.encryption().enabled() ? properties.encryption().keyId() : null, null, null);
    }

    /** Records a backup's progress on its job, at most every {@link #PROGRESS_EVERY}; stops it when taken over. */
    private final class JobProgress implements SnapshotExporter.Progress {

        private final String jobId;
        private final AtomicLong pending = new AtomicLong();
        private final AtomicReference<Instant> recorded;
        private volatile String collection;

        JobProgress(String jobId) {
            this.jobId = jobId;
            this.recorded = new AtomicReference<>(clock.instant());
        }

        @Override
        public Mono<Void> documents(String collection, long written) {
            boolean moved = !collection.equals(this.collection);
            this.collection = collection;
            pending.addAndGet(written);
            Instant now = clock.instant();
            Instant last = recorded.get();
            if (!moved && Duration.between(last, now).compareTo(PROGRESS_EVERY) < 0) {
                return Mono.empty();
            }
            recorded.set(now);
            return flush();
        }

        Mono<Void> flush() {
            long count = pending.getAndSet(0);
            // The collection being read is the job's cursor (the service's collection names are short).
            String cursor = collection == null || collection.length() > 128 ? null : collection;
            return jobs.progress(jobId, count, count, cursor)
                    // No progress recorded = the job is no longer RUNNING (taken over as stale): stop reading.
                    .switchIfEmpty(Mono.error(() -> stopped(jobId)))
                    .then();
        }
    }

    // ---- reading -------------------------------------------------------------------------------------------

    public Mono<PageResponse<BackupView>> list(BackupRepository.Filter filter, PageRequest page, URI uri) {
        if (filter.from() != null && filter.to() != null && !filter.from().isBefore(filter.to())) {
            return Mono.error(new ApiException.InvalidField("from", "from must be before to"));
        }
        return Mono.zip(backups.page(filter, page).map(BackupView::of).collectList(), backups.count(filter))
                .map(result -> PageResponse.of(result.getT1(), page, result.getT2(), uri));
    }

    public Mono<BackupView> get(String id) {
        return found(id).map(BackupView::of);
    }

    private Mono<Backup> found(String id) {
        return backups.find(id).switchIfEmpty(Mono.error(() -> new ApiException.NotFound("No backup " + id + ".")));
    }

    private Mono<Backup> completed(String id) {
        return found(id).flatMap(backup -> backup.state() == BackupState.COMPLETED ? Mono.just(backup)
                : Mono.error(new ApiException.Conflict("Backup " + id + " is " + backup.state()
                        + "; only a completed backup has an archive.")));
    }

    /** An archive download: the part asked for, and what the client needs to check and resume it. */
    public record Download(long offset, long length, long total, String sha256, boolean partial,
            Flux<DataBuffer> body) {
    }

    /**
     * The stored archive, or the part of it one {@code Range} names, streamed from the store. The download is
     * audited when it starts.
     */
    public Mono<Download> download(Caller caller, String id, ArchiveRange range) {
        return completed(id).flatMap(backup -> {
            long total = backup.sizeBytes();
            ArchiveRange.Part part = range.resolve(total, "\"" + backup.checksum() + "\"");
            return audit.recordAlone(event(caller, AuditEventType.BACKUP_DOWNLOADED, id)
                            .withDetail("offset", Long.toString(part.offset()))
                            .withDetail("length", Long.toString(part.length())))
                    .thenReturn(new Download(part.offset(), part.length(), total, backup.checksum(), part.partial(),
                            part.length() == 0 ? Flux.empty() : store.read(id, part.offset(), part.length())));
        });
    }

    // ---- verifying -----------------------------------------------------------------------------------------

    /** Re-reads the stored archive against its record and its manifest, and records the outcome. */
    public Mono<BackupView> verify(Caller caller, String id) {
        return completed(id).flatMap(this::verified)
                .flatMap(verified -> audit.recordAlone(event(caller, AuditEventType.BACKUP_VERIFIED, id)
                                .withOutcome(verified.verified() ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE)
                                .withDetail("problems", Integer.toString(verified.verification().problems().size())))
                        .thenReturn(verified))
                .map(BackupView::of);
    }

    private Mono<Backup> verified(Backup backup) {
        Path workDir = workDir("verify-" + backup.id());
        return localPlainCopy(backup, workDir)
                .flatMap(local -> Mono.fromCallable(() -> {
                    try (InputStream in = Files.newInputStream(local.plain())) {
                        return verification(backup, local, verifier.verify(in));
                    }
                }).subscribeOn(compression))
                .onErrorResume(unreadable -> !(unreadable instanceof ApiException),
                        unreadable -> Mono.just(new Backup.Verification(false, clock.instant(), 0,
                                bounded(List.of("The stored archive could not be read: "
                                        + JobService.failureReason(unreadable))))))
                .flatMap(verification -> backups.recordVerification(backup.id(), verification))
                .doFinally(signal -> removeLater(workDir));
    }

    private Backup.Verification verification(Backup backup, LocalCopy local, ArchiveVerifier.Verification result) {
        List<String> problems = new ArrayList<>();
        if (!local.storedSha256().equals(backup.checksum())) {
            problems.add("The stored archive's SHA-256 is " + local.storedSha256() + ", the backup recorded "
                    + backup.checksum());
        }
        problems.addAll(result.problems());
        if (result.manifest() != null && !backup.id().equals(result.manifest().backupId())) {
            problems.add("The archive's manifest names backup " + result.manifest().backupId() + ", not " + backup.id());
        }
        if (backup.documents() != null && result.problems().isEmpty() && result.documents() != backup.documents()) {
            problems.add("The archive holds " + result.documents() + " documents, the backup recorded " + backup.documents());
        }
        List<String> bounded = bounded(problems);
        return new Backup.Verification(bounded.isEmpty(), clock.instant(), result.documents(), bounded);
    }

    /** As many problems, each as long, as the validator takes: the first ones say what went wrong. */
    static List<String> bounded(List<String> problems) {
        return problems.stream().limit(BackupFields.MAX_PROBLEMS)
                .map(problem -> problem.length() > BackupFields.MAX_PROBLEM_LENGTH
                        ? problem.substring(0, BackupFields.MAX_PROBLEM_LENGTH) : problem)
                .toList();
    }

    /** The plain tar on local disk (downloaded from the store, decrypted if sealed), and the stored bytes' SHA-256. */
    record LocalCopy(Path plain, String storedSha256) {
    }

    Mono<LocalCopy> localPlainCopy(Backup backup, Path workDir) {
        Path stored = workDir.resolve("stored");
        MessageDigest digest = Sha256.digest();
        // Hashed as it arrives, so the copy is not read a second time only to check it.
        Flux<DataBuffer> hashed = store.read(backup.id(), 0, backup.sizeBytes()).doOnNext(buffer -> {
            try (var views = buffer.readableByteBuffers()) {
                views.forEachRemaining(digest::update);
            }
        });
        return Mono.fromCallable(() -> Files.createDirectories(workDir)).subscribeOn(compression)
                .then(DataBufferUtils.write(hashed, stored))
                .then(Mono.fromCallable(() -> {
                    String sha256 = Sha256.hex(digest);
                    if (backup.encryptionKeyId() == null) {
                        return new LocalCopy(stored, sha256);
                    }
                    Path plain = workDir.resolve("plain.tar");
                    try (InputStream in = Files.newInputStream(stored);
                            OutputStream out = new BufferedOutputStream(Files.newOutputStream(plain), 64 * 1024)) {
                        ArchiveCipher.decrypt(in, out, this::backupKey);
                    }
                    return new LocalCopy(plain, sha256);
                }).subscribeOn(compression))
                .onErrorMap(ArchiveCipher.MissingBackupKeyException.class, missing -> new ApiException.Conflict(
                        "Backup " + backup.id() + " is encrypted with backup key '" + missing.keyId()
                                + "', which this service is not configured with (phishnet.backup.encryption)."));
    }

    /** The current key or a previous one: archives sealed before a backup-key rotation still open. */
    private Optional<byte[]> backupKey(String keyId) {
        return Optional.ofNullable(properties.encryption().keys().get(keyId));
    }

    private byte[] backupKey() {
        return properties.encryption().keys().get(properties.encryption().keyId());
    }

    // ---- restoring ----------------------------------------------------------------------------------------

    public static URI restoreLocation(String backupId, String jobId) {
        return UriComponentsBuilder.fromPath("/api/v1/admin/backups/{id}/restores/{jobId}").build(backupId, jobId);
    }

    /** What a restore would write into {@code target} and what stands in its way; writes nothing. Audited. */
    public Mono<RestoreReport> dryRunRestore(Caller caller, String id, String target) {
        return completed(id).flatMap(backup -> {
            Path workDir = workDir("dry-run-" + id);
            return localPlainCopy(backup, workDir)
                    .flatMap(local -> restorer.restore(local.plain(), target, true, written -> { }))
                    .flatMap(report -> audit.recordAlone(event(caller, AuditEventType.BACKUP_RESTORE_CHECKED, id)
                                    .withDetail("targetDatabase", target)
                                    .withDetail("conflicts", Integer.toString(report.conflicts().size())))
                            .thenReturn(report))
                    .onErrorMap(BackupService::notPermitted, denied -> targetNotPermitted(target))
                    .doFinally(signal -> removeLater(workDir));
        });
    }

    /**
     * Checks what can be checked without the archive (the target is new or empty and not the service's own, the
     * key ring holds every key the backup needs: 409 otherwise), then restores in the background as a RESTORE job.
     * One restore at a time across instances: 409 with the running one's Location.
     */
    public Mono<JobView> launchRestore(Caller caller, String id, String target) {
        return completed(id)
                .flatMap(backup -> restorer.conflicts(target, backup.keyIds())
                        .flatMap(conflicts -> conflicts.isEmpty() ? Mono.just(backup) : Mono.error(
                                new ApiException.Conflict("Restore refused: " + String.join("; ", conflicts)))))
                .flatMap(backup -> jobs.startExclusive(JobType.RESTORE, () -> startRestore(caller, id, target),
                                abandoned -> Mono.empty(), running -> running.cursor() == null ? null
                                        : restoreLocation(running.cursor(), running.id()), "Restore job")
                        .doOnNext(job -> runner.launch(job.id(), runRestore(job, backup, target, caller))))
                .onErrorMap(BackupService::notPermitted, denied -> targetNotPermitted(target));
    }

    private Mono<JobView> startRestore(Caller caller, String id, String target) {
        return transactions.run(caller.tenantId(), () -> jobs.start(JobType.RESTORE, caller)
                // The job's cursor names the backup it restores (GET .../restores/{jobId} checks it).
                .flatMap(job -> jobs.progress(job.id(), 0, 0, id))
                .flatMap(job -> audit.record(event(caller, AuditEventType.BACKUP_RESTORE_STARTED, id)
                                .withDetail("targetDatabase", target).withDetail("job", job.id()))
                        .thenReturn(job)));
    }

    /** MongoDB's Unauthorized (13): the serving user has no role on the restore's target database. */
    static boolean notPermitted(Throwable failure) {
        return failure instanceof MongoException mongo && mongo.getCode() == 13;
    }

    private static ApiException targetNotPermitted(String target) {
        return new ApiException.Conflict("The service's database user may not use database '" + target
                + "': grant it readWrite and dbAdmin there first (docs/backups.md, Restoring).");
    }

    /** The restore job of this backup; 404 for an unknown job and for another backup's. */
    public Mono<JobView> restoreStatus(String id, String jobId, Caller caller) {
        return jobs.get(jobId, JobType.RESTORE, caller)
                .filter(job -> id.equals(job.cursor()))
                .switchIfEmpty(Mono.error(() -> new ApiException.NotFound("No restore " + jobId + " of backup " + id + ".")));
    }

    Mono<JobView> runRestore(JobView job, Backup backup, String target, Caller caller) {
        Path workDir = workDir("restore-" + job.id());
        AtomicLong written = new AtomicLong();
        return withHeartbeat(job.id(), backup.id(), written::get, localPlainCopy(backup, workDir)
                        .flatMap(local -> restorer.restore(local.plain(), target, false, written::set))
                        .flatMap(report -> restorer.settleInterruptedJobs(target, clock.instant()).thenReturn(report)))
                .flatMap(report -> jobs.complete(job.id())
                        .flatMap(done -> transactions.run(caller.tenantId(), () -> audit.record(event(caller,
                                        AuditEventType.BACKUP_RESTORED, backup.id())
                                .withDetail("targetDatabase", target)
                                .withDetail("documents", Long.toString(report.documentsWritten()))))
                                .thenReturn(done)))
                .onErrorResume(failure -> {
                    String reason = JobService.failureReason(failure);
                    log.error("restore job {} of backup {} into {} failed: {}", job.id(), backup.id(), target, reason, failure);
                    // Audited even when the job had already stopped (cancelled): the restore's outcome is in its chain.
                    return jobs.fail(job.id(), reason)
                            .then(transactions.run(caller.tenantId(), () -> audit.record(event(caller,
                                            AuditEventType.BACKUP_RESTORE_FAILED, backup.id())
                                    .withOutcome(AuditOutcome.FAILURE)
                                    .withDetail("targetDatabase", target)
                                    .withDetail("reason", reason.length() > 500 ? reason.substring(0, 500) : reason))))
                            .then(Mono.<JobView>empty())
                            .onErrorResume(recordFailure -> {
                                log.error("restore job {}: could not record its failure", job.id(), recordFailure);
                                return Mono.empty();
                            });
                })
                .doFinally(signal -> removeLater(workDir));
    }

    /**
     * Runs {@code work} while recording the job's progress every {@link #PROGRESS_EVERY} (what {@code done} adds
     * since the last beat), so a long phase that reads no documents is not taken for an abandoned job.
     */
    private <T> Mono<T> withHeartbeat(String jobId, String cursor, LongSupplier done, Mono<T> work) {
        return Mono.defer(() -> {
            AtomicLong reported = new AtomicLong();
            Sinks.Empty<Void> stopped = Sinks.empty();
            var beats = Flux.interval(PROGRESS_EVERY, PROGRESS_EVERY)
                    .concatMap(tick -> {
                        long now = done.getAsLong();
                        long delta = now - reported.getAndSet(now);
                        return jobs.progress(jobId, delta, delta, cursor)
                                // Not RUNNING any more (cancelled, or taken over): stop the work.
                                .switchIfEmpty(Mono.fromRunnable(stopped::tryEmitEmpty))
                                .onErrorResume(failure -> Mono.empty());
                    })
                    .subscribe();
            return work.takeUntilOther(stopped.asMono())
                    .switchIfEmpty(Mono.error(() -> new IllegalStateException("Job " + jobId
                            + " stopped running (cancelled, or taken over after " + JobService.STALE_AFTER + " of silence)")))
                    .doFinally(signal -> beats.dispose());
        });
    }

    private Path workDir(String name) {
        return properties.staging().resolve(name + "-" + Long.toHexString(random.nextLong() & Long.MAX_VALUE));
    }

    // ---- deleting ------------------------------------------------------------------------------------------

    /** Removes the archive, then the record: a retry after a failure in between finds the record and finishes. */
    public Mono<Void> delete(Caller caller, String id) {
        return settleOrphans(caller).then(found(id))
                .flatMap(backup -> backup.state() == BackupState.RUNNING
                        ? Mono.error(new ApiException.Conflict("Backup " + id + " is still running."))
                        : Flux.fromIterable(holds).concatMap(hold -> hold.heldBecause(id)).next()
                                .flatMap(reason -> Mono.<Void>error(new ApiException.Conflict("Backup " + id
                                        + " cannot be deleted yet: " + reason + ".")))
                                .switchIfEmpty(Mono.defer(() -> deleteFinished(caller, backup))));
    }

    private Mono<Void> deleteFinished(Caller caller, Backup backup) {
        return store.delete(backup.id())
                .then(backups.deleteFinished(backup.id()))
                .flatMap(deleted -> audit.recordAlone(event(caller, AuditEventType.BACKUP_DELETED, backup.id())
                        .withDetail("state", deleted.state().name())))
                .then();
    }

    // ---- retention archives --------------------------------------------------------------------------------

    /** A document read back from a stored archive, with the collection it came from. */
    public record ArchivedDocument(String collection, RawBsonDocument document) {
    }

    /**
     * Archives what a retention run is about to delete, under an id the run chose and recorded first (so a run
     * that stops half-way finds its archive again): the selections are read at one cluster time, packed and stored
     * as a backup with trigger RETENTION, then verified. Answers the COMPLETED, verified backup; an archive that
     * fails or does not verify is marked FAILED and removed from the store, and the answer is an error. No job of
     * its own: progress goes to the run's job, and the archive stops when that job stops running.
     */
    public Mono<BackupView> archive(Caller caller, String archiveId, String runId,
            Map<String, SnapshotExporter.Selection> selections) {
        var progress = new JobProgress(runId);
        List<String> collections = selections.keySet().stream().sorted().toList();
        Path workDir = properties.staging().resolve(archiveId);
        return backups.insert(Backup.requested(archiveId, BackupTrigger.RETENTION, caller.subject(), caller.tenantId(),
                        clock.instant(), "retention run " + runId, null, collections))
                .flatMap(backup -> exporter.export(new SnapshotExporter.Plan(archiveId, null, collections, selections),
                                workDir.resolve("files"), serviceVersion, progress)
                        .flatMap(export -> progress.flush().thenReturn(export))
                        // Packing, storing and verifying read no documents: a heartbeat keeps the run's job alive.
                        .flatMap(export -> withHeartbeat(runId, null, () -> 0L, Mono.fromCallable(() -> pack(export, workDir))
                                .subscribeOn(compression)
                                .flatMap(archive -> store.put(archiveId, archive.file())
                                        .map(stored -> completed(backup, export.manifest(), archive, stored)))
                                .flatMap(done -> backups.complete(archiveId, done)
                                        .switchIfEmpty(Mono.error(() -> new IllegalStateException("Retention archive "
                                                + archiveId + " stopped being RUNNING while it was written"))))
                                .flatMap(this::verified)
                                .switchIfEmpty(Mono.error(() -> new IllegalStateException("Retention archive "
                                        + archiveId + " was failed while it was verified")))))
                        .flatMap(verified -> verified.verified() ? Mono.just(verified)
                                : Mono.error(new IllegalStateException("Retention archive " + archiveId
                                        + " did not verify: " + String.join("; ", verified.verification().problems()))))
                        // A retention archive is done when it verified; one that does not is counted as discarded.
                        .doOnNext(verified -> metrics.completed(BackupTrigger.RETENTION))
                        .onErrorResume(failure -> discarded(caller, archiveId, JobService.failureReason(failure))
                                .then(Mono.error(failure)))
                        .doFinally(signal -> removeLater(workDir)))
                .map(BackupView::of);
    }

    /**
     * Every document of a COMPLETED archive, collection by collection in archive order, read from the store again;
     * the stored bytes must still be those the backup recorded.
     */
    public Flux<ArchivedDocument> archivedDocuments(String id) {
        return archivedDocuments(id, null);
    }

    /** As {@link #archivedDocuments(String)}, the job kept alive by a heartbeat while the archive is fetched. */
    public Flux<ArchivedDocument> archivedDocuments(String id, String jobId) {
        return completed(id).flatMapMany(backup -> {
            Path workDir = workDir("read-" + id);
            Mono<LocalCopy> fetched = localPlainCopy(backup, workDir);
            return (jobId == null ? fetched : withHeartbeat(jobId, null, () -> 0L, fetched))
                    .flatMapMany(local -> !local.storedSha256().equals(backup.checksum())
                            ? Flux.error(new IllegalStateException("The stored archive of " + id + " has SHA-256 "
                                    + local.storedSha256() + ", not the recorded " + backup.checksum()))
                            : Flux.using(() -> ArchiveContents.open(local.plain(), json, true),
                                    contents -> Flux.fromIterable(contents)
                                            .ofType(ArchiveContents.CollectionDocument.class)
                                            .map(item -> new ArchivedDocument(item.collection().name(), item.document())),
                                    ArchiveContents::close)
                                    .subscribeOn(compression))
                    .doFinally(signal -> removeLater(workDir));
        });
    }

    /** Whether the backup exists and is COMPLETED, whatever its verifications said. */
    public Mono<Boolean> isCompletedArchive(String id) {
        return backups.find(id).map(backup -> backup.state() == BackupState.COMPLETED).defaultIfEmpty(false);
    }

    /** Whether the backup exists, is COMPLETED and its last verification passed. */
    public Mono<Boolean> isVerifiedArchive(String id) {
        return backups.find(id).map(backup -> backup.state() == BackupState.COMPLETED && backup.verified())
                .defaultIfEmpty(false);
    }

    /**
     * Marks an archive that never completed, or never verified, FAILED and removes what the store holds of it;
     * nothing for a verified one. Audited as a failed backup.
     */
    public Mono<Void> discardArchive(Caller caller, String id, String reason) {
        return discarded(caller, id, reason);
    }

    private Mono<Void> discarded(Caller caller, String id, String reason) {
        log.error("retention archive {} discarded: {}", id, reason);
        return backups.failUnlessVerified(id, reason, clock.instant())
                .doOnNext(discarded -> metrics.failed(discarded.trigger()))
                .flatMap(discarded -> store.delete(id)
                        .then(transactions.run(caller.tenantId(), () -> audit.record(event(caller,
                                        AuditEventType.BACKUP_FAILED, id)
                                .withOutcome(AuditOutcome.FAILURE)
                                .withDetail("reason", reason.length() > 500 ? reason.substring(0, 500) : reason)))))
                .then();
    }

    // ---- schedule ------------------------------------------------------------------------------------------

    /**
     * The caller a scheduled backup runs and is audited as: the service itself, in a chain of its own under a tenant
     * id no token can carry (TENANT_ID_PATTERN has no '.'), so no tenant's ADMIN ever reads it.
     */
    static final Caller SCHEDULE = new Caller("phishnet-store:backup-schedule", "phishnet.service", Set.of(),
            Set.of(Access.Scope.SERVICE_OPERATOR.value()), null, "phishnet-store", "backup-schedule");

    @Override
    public Mono<Outcome> backupAndVerify() {
        return start(SCHEDULE, CreateBackup.everything(), BackupTrigger.SCHEDULED)
                .flatMap(backup -> run(backup, SCHEDULE))
                .flatMap(done -> done.state() != BackupState.COMPLETED
                        ? Mono.just(new Outcome(done.id(), false, false, done.error()))
                        : verify(SCHEDULE, done.id()).map(view -> new Outcome(view.id(), true,
                                view.verification() != null && view.verification().passed(),
                                view.verification() == null || view.verification().problems().isEmpty() ? null
                                        : String.join("; ", view.verification().problems()))))
                .onErrorResume(failure -> Mono.just(new Outcome(null, false, false, JobService.failureReason(failure))));
    }

    /** Deletes, oldest first, what {@link BackupRetention} no longer keeps; each deletion is audited. */
    @Override
    public Mono<Integer> applyRetention() {
        // Retention archives are not backups to rotate: they hold what is no longer anywhere else.
        return settleOrphans(SCHEDULE).thenMany(backups.finished())
                .filter(backup -> backup.trigger() != BackupTrigger.RETENTION)
                .map(BackupRetention.Candidate::of).collectList()
                .map(candidates -> BackupRetention.toDelete(candidates, clock.instant(), properties.retention()))
                .flatMapMany(Flux::fromIterable)
                .concatMap(id -> backups.find(id).flatMap(backup -> deleteFinished(SCHEDULE, backup)).thenReturn(id))
                .count()
                .map(Long::intValue);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static AuditEvent event(Caller caller, AuditEventType type, String backupId) {
        return AuditEvent.of(caller, type, BackupFields.COLLECTION, backupId);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** Staging files go on the file scheduler; at shutdown, when it takes no more work, right here. */
    private void removeLater(Path directory) {
        try {
            compression.schedule(() -> deleteQuietly(directory));
        }
        catch (RejectedExecutionException shuttingDown) {
            deleteQuietly(directory);
        }
    }

    static void deleteQuietly(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                }
                catch (IOException failure) {
                    log.warn("could not remove staging file {}", path, failure);
                }
            });
        }
        catch (IOException | UncheckedIOException failure) {
            log.warn("could not remove staging directory {}", directory, failure);
        }
    }
}
