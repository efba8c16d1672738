package com.phishnet.store.retention;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.phishnet.store.audit.AuditEvent;
import com.phishnet.store.audit.AuditEventType;
import com.phishnet.store.audit.AuditFields;
import com.phishnet.store.audit.AuditOutcome;
import com.phishnet.store.audit.AuditService;
import com.phishnet.store.backup.BackupService;
import com.phishnet.store.backup.BackupService.ArchivedDocument;
import com.phishnet.store.backup.SnapshotExporter;
import com.phishnet.store.jobs.JobRunner;
import com.phishnet.store.jobs.JobService;
import com.phishnet.store.jobs.JobState;
import com.phishnet.store.jobs.JobType;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.Access;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.time.IdSource;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.platform.web.PageRequest;
import com.phishnet.store.platform.web.PageResponse;
import com.phishnet.store.retention.RetentionPlanner.Holds;
import com.phishnet.store.retention.RetentionRequests.DryRunReport;
import com.phishnet.store.retention.RetentionRequests.RunView;
import com.phishnet.store.retention.RetentionRun.Resumed;
import com.phishnet.store.retention.RetentionRun.Tally;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Retention runs: count what each policy expires per collection and tenant, archive it (a verified backup archive),
 * then delete exactly the archived documents that are still expired and not held, in paced batches.
 * <p>
 * Never the reverse, and exactly once across crashes: the archive's id is stored on the run before anything is
 * archived; deletion reads its documents back from the verified archive; a failure leaves the run's phase as it
 * was, and the next run settles it first — an archive that verified is deleted from (deleting an already deleted
 * id does nothing), one that did not is discarded with nothing deleted. One run at a time across instances (the
 * jobs' unique index); every run is a RETENTION job, followable and cancellable.
 */
@Service
public class RetentionRuns {

    private static final Logger log = LoggerFactory.getLogger(RetentionRuns.class);

    /** The caller a scheduled run acts and is audited as, in the service's own chain (see BackupService). */
    static final Caller SCHEDULE = new Caller("phishnet-store:retention-schedule", "phishnet.service", Set.of(),
            Set.of(Access.Scope.SERVICE_OPERATOR.value()), null, "phishnet-store", "retention-schedule");

    private final RetentionRunRepository runs;
    private final RetentionService retention;
    private final BackupService backups;
    private final AuditService audit;
    private final JobService jobs;
    private final JobRunner runner;
    private final Transactions transactions;
    private final RetentionProperties.Run settings;
    private final DeletePace pace;
    private final Clock clock;
    private final IdSource ids;

    public RetentionRuns(RetentionRunRepository runs, RetentionService retention, BackupService backups,
            AuditService audit, JobService jobs, JobRunner runner, Transactions transactions,
            RetentionProperties properties, Clock clock, IdSource ids) {
        this.runs = runs;
        this.retention = retention;
        this.backups = backups;
        this.audit = audit;
        this.jobs = jobs;
        this.runner = runner;
        this.transactions = transactions;
        this.settings = properties.run();
        this.pace = new DeletePace(settings.batchSize(), settings.pause(), settings.maxDeletesPerSecond());
        this.clock = clock;
        this.ids = ids;
    }

    public static URI location(String id) {
        return UriComponentsBuilder.fromPath("/api/v1/admin/retention/runs/{id}").build(id);
    }

    // ---- reading -------------------------------------------------------------------------------------------

    public Mono<PageResponse<RunView>> list(PageRequest page, URI uri) {
        return Mono.zip(runs.page(page).map(RunView::of).collectList(), runs.count())
                .map(result -> PageResponse.of(result.getT1(), page, result.getT2(), uri));
    }

    public Mono<RunView> get(String id) {
        return runs.find(id).map(RunView::of)
                .switchIfEmpty(Mono.error(() -> new ApiException.NotFound("No retention run " + id + ".")));
    }

    /**
     * Gives up a run that stopped while deleting and that the next runs cannot settle (its archive lost or unreadable):
     * DONE and FAILED with the reason, its archive no longer held, what it had not deleted left for later runs to archive
     * again. Only such a run: one stopped earlier is settled by the next run anyway (its archive discarded, nothing
     * deleted). Not while any run is in progress, since that run may be settling this one: cancel its job first.
     * Audited.
     */
    public Mono<RunView> abandon(Caller caller, String id, String reason) {
        return runs.find(id)
                .switchIfEmpty(Mono.error(() -> new ApiException.NotFound("No retention run " + id + ".")))
                .flatMap(run -> run.phase() != RetentionRun.Phase.DELETING
                        ? Mono.error(new ApiException.Conflict("Retention run " + id + " is " + run.phase() + "; only a"
                                + " run that stopped while deleting is abandoned (the next run settles any other)."))
                        : jobs.runningServiceJob(JobType.RETENTION)
                                .flatMap(running -> Mono.<RunView>error(new ApiException.Conflict("Retention run "
                                        + running.id() + " is in progress and may be settling this one; wait for it or"
                                        + " cancel its job (POST /api/v1/admin/jobs/" + running.id() + "/cancel).")))
                                .switchIfEmpty(Mono.defer(() -> abandonSettled(caller, run, reason))));
    }

    private Mono<RunView> abandonSettled(Caller caller, RetentionRun run, String reason) {
        return transactions.run(caller.tenantId(), () -> runs.abandon(run.id(), reason(run, "abandoned by "
                        + caller.subject() + ": " + reason), clock.instant())
                .switchIfEmpty(Mono.error(() -> new ApiException.Conflict("Retention run " + run.id()
                        + " was settled meanwhile.")))
                .flatMap(abandoned -> audit.record(event(caller, AuditEventType.RETENTION_RUN_ABANDONED, run.id())
                                .withDetail("reason", reason)
                                .withDetail("archiveId", run.archiveId())
                                .withDetail("phase", run.phase().name()))
                        .thenReturn(RunView.of(abandoned))));
    }

    // ---- dry run -------------------------------------------------------------------------------------------

    /** What a run would archive and delete now, and what it would keep for a hold; changes no data. Audited. */
    public Mono<DryRunReport> dryRun(Caller caller) {
        Instant now = clock.instant();
        return plan(now).flatMap(tallies -> {
            DryRunReport report = DryRunReport.of(now, tallies);
            return audit.recordAlone(event(caller, AuditEventType.RETENTION_DRY_RUN, "dry-run")
                            .withDetail("expired", Long.toString(report.expired()))
                            .withDetail("skipped", Long.toString(report.skipped())))
                    .thenReturn(report);
        });
    }

    // ---- starting ------------------------------------------------------------------------------------------

    /** Records the run and its job and runs it in the background; 409 with the running one's Location. */
    public Mono<RunView> launch(Caller caller) {
        return start(caller, RetentionRun.Trigger.MANUAL)
                .doOnNext(run -> runner.launch(run.id(), run(run, caller)))
                .map(RunView::of);
    }

    /** A scheduled run, waited for to the end; never errors (the outcome is the finished run). */
    Mono<RetentionRun> runScheduled() {
        return start(SCHEDULE, RetentionRun.Trigger.SCHEDULED).flatMap(run -> run(run, SCHEDULE));
    }

    Mono<RetentionRun> start(Caller caller, RetentionRun.Trigger trigger) {
        return jobs.startExclusive(JobType.RETENTION, () -> startOnce(caller, trigger),
                abandoned -> Mono.empty(), running -> location(running.id()), "Retention run");
    }

    private Mono<RetentionRun> startOnce(Caller caller, RetentionRun.Trigger trigger) {
        return transactions.run(caller.tenantId(), () -> jobs.start(JobType.RETENTION, caller)
                .flatMap(job -> runs.insert(RetentionRun.started(job.id(), trigger, caller.subject(), caller.tenantId(),
                        job.startedAt(), ids.newId())))
                .flatMap(run -> audit.record(event(caller, AuditEventType.RETENTION_RUN_STARTED, run.id())
                                .withDetail("trigger", trigger.name()).withDetail("archiveId", run.archiveId()))
                        .thenReturn(run)));
    }

    // ---- running -------------------------------------------------------------------------------------------

    /** Settles earlier runs, then plans, archives and deletes; records the outcome. Never errors. */
    Mono<RetentionRun> run(RetentionRun run, Caller caller) {
        return settleEarlierRuns(run, caller)
                .flatMap(resumed -> plan(clock.instant())
                        .flatMap(tallies -> runs.planned(run.id(), tallies))
                        .switchIfEmpty(Mono.error(() -> stopped(run.id())))
                        .flatMap(planned -> archiveAndDelete(planned, caller))
                        .flatMap(tallies -> completed(run, caller, tallies, resumed)))
                .switchIfEmpty(Mono.error(() -> stopped(run.id())))
                .onErrorResume(failure -> failed(run, caller, failure));
    }

    /**
     * Runs that stopped before DONE (a crash, a cancel, a failure), each settled by {@link #settle}: one that was
     * deleting, or whose archive verified, has its deletions finished from that archive; one that had not archived,
     * or whose archive never verified, is closed with its archive discarded and nothing deleted.
     */
    Mono<List<Resumed>> settleEarlierRuns(RetentionRun current, Caller caller) {
        return runs.unfinished(current.id()).concatMap(earlier -> settle(earlier, current.id(), caller)).collectList();
    }

    private Mono<Resumed> settle(RetentionRun earlier, String currentJobId, Caller caller) {
        if (earlier.phase() == RetentionRun.Phase.PLANNING || earlier.archiveId() == null) {
            return abandoned(earlier, "stopped before it archived anything");
        }
        if (earlier.phase() == RetentionRun.Phase.DELETING) {
            // Its archive verified before it deleted anything, and is never discarded now (a later failed verification,
            // a store that could not be read once, does not undo that): the deletion finishes from it, the read-back
            // checking the stored SHA-256 against the recorded one.
            return backups.isCompletedArchive(earlier.archiveId())
                    .flatMap(completed -> completed ? finishDeletion(earlier, currentJobId, caller)
                            : abandoned(earlier, "its archive is gone; what it deleted before it stopped stays deleted,"
                                    + " the rest stays for a later run"));
        }
        // Archiving: nothing deleted yet. A verified archive is deleted from; any other is discarded.
        return backups.isVerifiedArchive(earlier.archiveId())
                .flatMap(verified -> verified ? finishDeletion(earlier, currentJobId, caller)
                        : backups.discardArchive(caller, earlier.archiveId(), "Retention run " + earlier.id()
                                        + " stopped before its archive verified")
                                // Its worker may have recorded a passed verification just before the discard.
                                .then(backups.isVerifiedArchive(earlier.archiveId()))
                                .flatMap(verifiedMeanwhile -> verifiedMeanwhile
                                        ? finishDeletion(earlier, currentJobId, caller)
                                        : abandoned(earlier, "stopped before its archive verified; nothing was deleted")));
    }

    private Mono<Resumed> abandoned(RetentionRun earlier, String what) {
        return runs.abandon(earlier.id(), reason(earlier, what), clock.instant()).then(Mono.empty());
    }

    private static String reason(RetentionRun earlier, String what) {
        return earlier.error() != null ? earlier.error() + " (then " + what + ")" : what;
    }

    private Mono<Resumed> finishDeletion(RetentionRun earlier, String currentJobId, Caller caller) {
        return deleteArchived(earlier.archiveId(), earlier.tallies(), currentJobId)
                .flatMap(tallies -> {
                    long deleted = tallies.stream().mapToLong(Tally::deleted).sum();
                    return runs.finish(earlier.id(), false, JobState.FAILED, tallies, deleted, List.of(),
                                    reason(earlier, "deletion finished by run " + currentJobId), clock.instant())
                            .map(finished -> new Resumed(earlier.id(), earlier.archiveId(), deleted))
                            // Abandoned by an operator meanwhile: what this pass deleted is still recorded, here.
                            .switchIfEmpty(Mono.fromSupplier(() -> {
                                log.warn("retention run {} was abandoned while run {} finished its deletions ({})",
                                        earlier.id(), currentJobId, deleted);
                                return new Resumed(earlier.id(), earlier.archiveId(), deleted);
                            }));
                });
    }

    /** Counts, per kind of data and tenant, what is past its policy and not held, and what a hold keeps. */
    Mono<List<Tally>> plan(Instant now) {
        return Mono.zip(retention.activeHolds(), retention.overridesByTenant())
                .flatMap(context -> {
                    Holds holds = Holds.of(context.getT1());
                    Map<String, RetentionOverride> overrides = context.getT2();
                    return Flux.fromIterable(RetentionPlanner.DELETED_BY_RUNS)
                            .concatMap(data -> tenantsOf(data).concatMap(tenant -> {
                                Instant before = retention.expiresBefore(data, overrides.get(tenant), now);
                                return data == RetainedData.AUDIT_LOGS ? auditTally(tenant, before, holds)
                                        : tally(data, tenant, before, holds);
                            }))
                            .filter(tally -> tally.expired() > 0 || tally.skipped() > 0)
                            .collectList()
                            .map(RetentionRuns::bounded);
                });
    }

    /**
     * A run record holds this many tallies. Beyond it, those with something to delete come first (what only a hold
     * keeps is reported, not acted on): each run then deletes what it planned, so the pairs it left out come next time.
     */
    static List<Tally> bounded(List<Tally> tallies) {
        if (tallies.size() <= RetentionFields.MAX_TALLIES) {
            return tallies;
        }
        List<Tally> actionableFirst = tallies.stream()
                .sorted(java.util.Comparator.comparing(tally -> tally.expired() == 0))
                .limit(RetentionFields.MAX_TALLIES)
                .toList();
        log.warn("Retention run: more than {} (collection, tenant) pairs have expired or held data; this run plans {}"
                + " (those with something to delete first) and leaves the rest to the next run",
                RetentionFields.MAX_TALLIES, RetentionFields.MAX_TALLIES);
        return actionableFirst;
    }

    private Flux<String> tenantsOf(RetainedData data) {
        Flux<String> tenants = runs.tenants(data.collection()).sort();
        // Service jobs belong to no tenant (null here, absent in the documents).
        return data == RetainedData.JOBS ? Flux.concat(tenants, Mono.just(NO_TENANT)) : tenants;
    }

    /** Stands for "no tenant" in the tenant flux, which cannot carry null; never a valid tenant id (has a space). */
    private static final String NO_TENANT = " none";

    private static String tenant(String tenant) {
        return NO_TENANT.equals(tenant) ? null : tenant;
    }

    private Mono<Tally> tally(RetainedData data, String tenantKey, Instant before, Holds holds) {
        String tenant = tenant(tenantKey);
        Document deletable = RetentionPlanner.deletable(data, tenant, before, holds);
        return Mono.zip(runs.count(data.collection(), RetentionPlanner.expired(data, tenant, before)),
                        deletable == null ? Mono.just(0L) : runs.count(data.collection(), deletable))
                .map(counts -> new Tally(data.collection(), tenant, before, counts.getT2(),
                        counts.getT1() - counts.getT2(), 0));
    }

    private Mono<Tally> auditTally(String tenant, Instant before, Holds holds) {
        Mono<Long> through = holds.tenantHeld(tenant) ? Mono.just(0L)
                : audit.expiredThrough(tenant, before, holds.users(tenant)).defaultIfEmpty(0L);
        return through.flatMap(seq -> Mono.zip(
                        seq > 0 ? runs.count(AuditFields.COLLECTION, RetentionPlanner.auditPrefix(tenant, seq)) : Mono.just(0L),
                        runs.count(AuditFields.COLLECTION, RetentionPlanner.expired(RetainedData.AUDIT_LOGS, tenant, before))))
                .map(counts -> new Tally(AuditFields.COLLECTION, tenant, before, counts.getT1(),
                        Math.max(0, counts.getT2() - counts.getT1()), 0));
    }

    /** Archives what the plan found (read again, with the holds of now), then deletes it from the verified archive. */
    private Mono<List<Tally>> archiveAndDelete(RetentionRun planned, Caller caller) {
        if (planned.tallies().stream().noneMatch(tally -> tally.expired() > 0)) {
            return Mono.just(planned.tallies());
        }
        return selections(planned.tallies())
                .flatMap(selections -> selections.isEmpty() ? Mono.just(planned.tallies())
                        : backups.archive(caller, planned.archiveId(), planned.id(), selections)
                                .flatMap(archive -> runs.archived(planned.id(), archive.documents() == null ? 0
                                        : archive.documents()))
                                .switchIfEmpty(Mono.error(() -> stopped(planned.id())))
                                .flatMap(archived -> deleteArchived(archived.archiveId(), archived.tallies(), archived.id())));
    }

    Mono<Map<String, SnapshotExporter.Selection>> selections(List<Tally> tallies) {
        return retention.activeHolds().map(Holds::of).flatMap(holds -> Flux.fromIterable(tallies)
                .filter(tally -> tally.expired() > 0)
                .concatMap(tally -> clause(tally, holds).map(clause -> Map.entry(tally.collection(), clause)))
                .collectMultimap(Map.Entry::getKey, Map.Entry::getValue)
                .map(clauses -> {
                    Map<String, SnapshotExporter.Selection> selections = new TreeMap<>();
                    clauses.forEach((collection, each) -> selections.put(collection, new SnapshotExporter.Selection(
                            RetentionPlanner.anyOf(List.copyOf(each)), null,
                            // An audit prefix is archived whole: its deletion removes everything up to a sequence.
                            collection.equals(AuditFields.COLLECTION) ? 0 : settings.maxDocuments())));
                    return selections;
                }));
    }

    private Mono<Document> clause(Tally tally, Holds holds) {
        RetainedData data = data(tally.collection());
        if (data == RetainedData.AUDIT_LOGS) {
            return holds.tenantHeld(tally.tenantId()) ? Mono.empty()
                    : audit.expiredThrough(tally.tenantId(), tally.before(), holds.users(tally.tenantId()))
                            .filter(seq -> seq > 0)
                            .map(seq -> RetentionPlanner.auditPrefix(tally.tenantId(), seq));
        }
        return Mono.justOrEmpty(RetentionPlanner.deletable(data, tally.tenantId(), tally.before(), holds));
    }

    /**
     * Deletes, batch by batch in archive order, the archived documents that are still expired and not held (holds
     * read again for every batch); audit entries through the audit service, as a prefix with its checkpoint. The
     * tallies come back with what was deleted.
     */
    Mono<List<Tally>> deleteArchived(String archiveId, List<Tally> tallies, String jobId) {
        Map<String, Tally> byKey = new LinkedHashMap<>();
        tallies.forEach(tally -> byKey.put(key(tally.collection(), tally.tenantId()), tally));
        Map<String, AtomicLong> deleted = new ConcurrentHashMap<>();
        Map<String, Long> auditRemovedThrough = new ConcurrentHashMap<>();
        return backups.archivedDocuments(archiveId, jobId)
                .windowUntilChanged(ArchivedDocument::collection)
                .concatMap(collection -> collection.buffer(settings.batchSize())
                        .concatMap(batch -> deleteBatch(archiveId, batch, byKey, deleted, auditRemovedThrough, jobId), 1), 1)
                .then(Mono.fromSupplier(() -> tallies.stream()
                        .map(tally -> tally.withDeleted(deleted.getOrDefault(key(tally.collection(), tally.tenantId()),
                                new AtomicLong()).get()))
                        .toList()));
    }

    private Mono<Void> deleteBatch(String archiveId, List<ArchivedDocument> batch, Map<String, Tally> tallies,
            Map<String, AtomicLong> deleted, Map<String, Long> auditRemovedThrough, String jobId) {
        String collection = batch.get(0).collection();
        RetainedData data = data(collection);
        Instant started = clock.instant();
        Map<String, List<RawBsonDocument>> byTenant = new TreeMap<>();
        for (ArchivedDocument archived : batch) {
            BsonValue tenant = archived.document().get(RetentionPlanner.TENANT_ID);
            byTenant.computeIfAbsent(tenant != null && tenant.isString() ? tenant.asString().getValue() : NO_TENANT,
                    key -> new ArrayList<>()).add(archived.document());
        }
        // The job is asked first: a run that was cancelled or taken over deletes nothing more.
        return jobs.progress(jobId, batch.size(), 0, "deleting " + collection)
                .switchIfEmpty(Mono.error(() -> stopped(jobId)))
                .then(retention.activeHolds()).map(Holds::of)
                .flatMapMany(holds -> Flux.fromIterable(byTenant.entrySet())
                        .concatMap(entry -> {
                            String tenant = tenant(entry.getKey());
                            Tally tally = tallies.get(key(collection, tenant));
                            if (tally == null) {
                                return Mono.<Long>empty(); // not selected by this run's plan: never deleted
                            }
                            Mono<Long> removed = data == RetainedData.AUDIT_LOGS
                                    ? removeAuditPrefix(archiveId, tenant, entry.getValue(), tally, holds, auditRemovedThrough)
                                    : deleteStillExpired(data, tenant, entry.getValue(), tally, holds);
                            return removed.doOnNext(count -> deleted.computeIfAbsent(key(collection, tenant),
                                    key -> new AtomicLong()).addAndGet(count));
                        }))
                .reduce(0L, Long::sum)
                .flatMap(count -> jobs.progress(jobId, 0, count, "deleting " + collection)
                        .then(Mono.delay(pace.after(count, Duration.between(started, clock.instant())))))
                .then();
    }

    private Mono<Long> deleteStillExpired(RetainedData data, String tenant, List<RawBsonDocument> documents, Tally tally,
            Holds holds) {
        Document deletable = RetentionPlanner.deletable(data, tenant, tally.before(), holds);
        if (deletable == null) {
            return Mono.just(0L);
        }
        List<BsonValue> ids = documents.stream().map(document -> document.get("_id")).toList();
        return runs.deleteMany(data.collection(), RetentionPlanner.stillDeletable(ids, deletable));
    }

    /**
     * The archive holds the tenant's whole prefix up to the sequence the plan chose, so removing through the highest
     * sequence seen so far only removes archived entries; the audit service re-checks the hash and writes the
     * checkpoint in the same transaction. Not while a hold now covers an entry of that prefix.
     */
    private Mono<Long> removeAuditPrefix(String archiveId, String tenant, List<RawBsonDocument> entries, Tally tally,
            Holds holds, Map<String, Long> removedThrough) {
        RawBsonDocument last = entries.stream()
                .max(java.util.Comparator.comparingLong(entry -> entry.getNumber(AuditFields.SEQUENCE).longValue()))
                .orElseThrow();
        long seq = last.getNumber(AuditFields.SEQUENCE).longValue();
        if (seq <= removedThrough.getOrDefault(tenant, 0L) || holds.tenantHeld(tenant)) {
            return Mono.just(0L);
        }
        return audit.expiredThrough(tenant, tally.before(), holds.users(tenant)).defaultIfEmpty(0L)
                .flatMap(allowed -> allowed < seq ? Mono.just(0L)
                        : audit.removeThrough(tenant, seq, last.getString(AuditFields.HASH).getValue(), archiveId)
                                .doOnNext(count -> removedThrough.put(tenant, seq)));
    }

    private Mono<RetentionRun> completed(RetentionRun run, Caller caller, List<Tally> tallies, List<Resumed> resumed) {
        long deleted = tallies.stream().mapToLong(Tally::deleted).sum();
        long expired = tallies.stream().mapToLong(Tally::expired).sum();
        return transactions.run(caller.tenantId(), () -> runs.finish(run.id(), true, JobState.COMPLETED, tallies, deleted,
                        resumed, null, clock.instant())
                .switchIfEmpty(Mono.error(() -> stopped(run.id())))
                .flatMap(finished -> jobs.complete(run.id())
                        .switchIfEmpty(Mono.error(() -> new IllegalStateException("The retention run's job " + run.id()
                                + " stopped running before the run was recorded as done")))
                        .then(audit.record(event(caller, AuditEventType.RETENTION_RUN_COMPLETED, run.id())
                                .withDetail("archiveId", run.archiveId())
                                .withDetail("expired", Long.toString(expired))
                                .withDetail("deleted", Long.toString(deleted))
                                .withDetail("resumedRuns", Integer.toString(resumed.size()))))
                        .thenReturn(finished)));
    }

    /**
     * Records the failure on the run and its job; the run's phase stays, so the next run knows how to settle it
     * ({@link #settle}).
     */
    private Mono<RetentionRun> failed(RetentionRun run, Caller caller, Throwable failure) {
        String reason = JobService.failureReason(failure);
        log.error("retention run {} failed: {}", run.id(), reason, failure);
        return runs.failedKeepingPhase(run.id(), reason, clock.instant())
                .flatMap(failedRun -> jobs.fail(run.id(), reason)
                        .then(transactions.run(caller.tenantId(), () -> audit.record(event(caller,
                                        AuditEventType.RETENTION_RUN_FAILED, run.id())
                                .withOutcome(AuditOutcome.FAILURE)
                                .withDetail("reason", reason.length() > 500 ? reason.substring(0, 500) : reason))))
                        .thenReturn(failedRun))
                .onErrorResume(recordFailure -> {
                    log.error("retention run {}: could not record its failure", run.id(), recordFailure);
                    return Mono.empty();
                });
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static IllegalStateException stopped(String jobId) {
        return new IllegalStateException("The retention run " + jobId + " stopped running (cancelled, taken over after "
                + JobService.STALE_AFTER + " of silence, or settled by a later run); the next run finishes what it"
                + " archived");
    }


    private static RetainedData data(String collection) {
        for (RetainedData data : RetainedData.values()) {
            if (data.collection().equals(collection)) {
                return data;
            }
        }
        throw new IllegalStateException("Not a collection retention deletes from: " + collection);
    }

    private static String key(String collection, String tenant) {
        return collection + '\u0000' + (tenant == null ? "" : tenant);
    }

    private static AuditEvent event(Caller caller, AuditEventType type, String runId) {
        return AuditEvent.of(caller, type, RetentionFields.RUNS, runId);
    }
}
