package com.phishnet.store.credentials;

import java.net.URI;

import com.phishnet.store.audit.AuditEvent;
import com.phishnet.store.audit.AuditEventType;
import com.phishnet.store.audit.AuditService;
import com.phishnet.store.jobs.JobFields;
import com.phishnet.store.jobs.JobRequests.JobView;
import com.phishnet.store.jobs.JobRunner;
import com.phishnet.store.jobs.JobService;
import com.phishnet.store.jobs.JobType;
import com.phishnet.store.platform.crypto.FieldCipher;
import com.phishnet.store.platform.crypto.KeyRing;
import com.phishnet.store.platform.crypto.Sealed;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Re-seals every credential still under an older key with the primary key, in batches, while the service
 * keeps running. Each batch only touches values whose ciphertext is unchanged since it was read, so a
 * concurrent rotation by a user is never overwritten. A job that stops (crash, restart) is resumed by
 * starting another: the scan selects exactly the values not yet under the primary key.
 */
@Service
public class KeyRotationService {

    static final int BATCH_SIZE = 100;

    private static final Logger log = LoggerFactory.getLogger(KeyRotationService.class);

    private final CredentialRepository repository;
    private final FieldCipher cipher;
    private final KeyRing keys;
    private final JobService jobs;
    private final JobRunner runner;
    private final AuditService audit;
    private final Transactions transactions;
    private final KeyRotationMetrics metrics;
    // Decrypting and re-encrypting is CPU work: keep it off the event loop, on a bounded pool.
    private final Scheduler cryptoScheduler = Schedulers.newBoundedElastic(2, 10_000, "key-rotation");

    public KeyRotationService(CredentialRepository repository, FieldCipher cipher, KeyRing keys, JobService jobs,
            JobRunner runner, AuditService audit, Transactions transactions, KeyRotationMetrics metrics) {
        this.repository = repository;
        this.cipher = cipher;
        this.keys = keys;
        this.jobs = jobs;
        this.runner = runner;
        this.audit = audit;
        this.transactions = transactions;
        this.metrics = metrics;
    }

    /** Starts a rotation (see {@link #start}) and runs it in the background; answers the job to follow. */
    public Mono<JobView> launch(Caller caller) {
        return start(caller)
                .doOnNext(job -> runner.launch(job.id(), run(job, caller)));
    }

    /**
     * Records the job and its start in the audit trail, without running it. One rotation at a time, across
     * instances (a unique index in MongoDB): a second start while one runs is a 409 naming the running job,
     * unless that one was left behind by a stopped instance, in which case it is marked failed and the new one
     * re-seals what is left (it starts from the beginning: the scan selects only values not yet under the primary key).
     */
    Mono<JobView> start(Caller caller) {
        // A rotation a stopped instance left RUNNING ends here as FAILED: counted as such, as no worker will.
        return jobs.startExclusive(JobType.KEY_ROTATION, () -> startOnce(caller), abandoned -> Mono.fromRunnable(metrics::failed),
                running -> location(running.id()), "Key rotation job");
    }

    private Mono<JobView> startOnce(Caller caller) {
        return transactions.run(caller.tenantId(), () -> jobs.start(JobType.KEY_ROTATION, caller)
                .flatMap(job -> audit.record(AuditEvent.of(caller, AuditEventType.KEY_ROTATION_STARTED,
                                JobFields.COLLECTION, job.id())
                        .withDetail("primaryKeyId", keys.primaryKeyId())).thenReturn(job)));
    }

    public static URI location(String jobId) {
        return UriComponentsBuilder.fromPath("/api/v1/admin/key-rotations/{id}").build(jobId);
    }

    /** An unknown id is a 404. */
    public Mono<JobView> status(Caller caller, String jobId) {
        return jobs.get(jobId, JobType.KEY_ROTATION, caller)
                .switchIfEmpty(Mono.error(() -> new ApiException.NotFound("No key rotation job " + jobId + ".")));
    }

    /**
     * Works through every batch, then marks the job completed (or failed) and audits the outcome. Ends quietly
     * when the job stops being RUNNING under it (taken over after it was presumed stale).
     */
    Mono<JobView> run(JobView job, Caller caller) {
        return batchesAfter(job.cursor(), job.id())
                .then(Mono.defer(() -> jobs.complete(job.id())))
                // Counted where the job leaves RUNNING: empty when it was taken over, and a later audit failure
                // finds it stopped already, so it is never also counted as failed.
                .doOnNext(done -> metrics.completed())
                .flatMap(done -> transactions.run(caller.tenantId(), () -> audit.record(AuditEvent.of(caller,
                                AuditEventType.KEY_ROTATION_COMPLETED, JobFields.COLLECTION, job.id())
                        .withDetail("processed", Long.toString(done.processed()))
                        .withDetail("resealed", Long.toString(done.changed())))).thenReturn(done))
                .onErrorResume(failure -> {
                    log.error("key rotation job {} failed", job.id(), failure);
                    return jobs.fail(job.id(), failure.getClass().getSimpleName() + ": " + failure.getMessage())
                            .doOnNext(failed -> metrics.failed());
                });
    }

    private Mono<Void> batchesAfter(String cursor, String jobId) {
        return repository.sealedWithOtherKeys(keys.primaryKeyId(), cursor, BATCH_SIZE).collectList()
                .flatMap(batch -> {
                    if (batch.isEmpty()) {
                        return Mono.empty();
                    }
                    String last = batch.get(batch.size() - 1).id();
                    return Flux.fromIterable(batch)
                            .concatMap(this::reseal)
                            .reduce(0L, (changed, resealed) -> resealed ? changed + 1 : changed)
                            .flatMap(changed -> jobs.progress(jobId, batch.size(), changed, last))
                            // No progress recorded = the job was taken over as stale: stop here.
                            .flatMap(progressed -> batchesAfter(last, jobId));
                });
    }

    private Mono<Boolean> reseal(Credential credential) {
        return Mono.fromCallable(() -> resealed(credential))
                .subscribeOn(cryptoScheduler)
                .flatMap(fresh -> repository.resealed(credential, fresh[0], fresh[1]));
    }

    /** Opens with whichever key sealed each value and seals again with the primary key. */
    private Sealed[] resealed(Credential credential) {
        Sealed access = resealOne(credential, credential.accessToken(), CredentialFields.ACCESS_TOKEN);
        Sealed refresh = credential.refreshToken() == null ? null
                : resealOne(credential, credential.refreshToken(), CredentialFields.REFRESH_TOKEN);
        return new Sealed[] {access, refresh};
    }

    private Sealed resealOne(Credential credential, Sealed sealed, String field) {
        if (cipher.isSealedWithPrimary(sealed)) {
            return sealed;
        }
        var context = CredentialService.context(credential.tenantId(), credential.id(), field);
        return cipher.seal(cipher.open(sealed, context), context);
    }
}
