package com.phishnet.store.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import java.net.URI;
import java.util.function.Function;
import java.util.function.Supplier;

import com.phishnet.store.audit.AuditEvent;
import com.phishnet.store.audit.AuditEventType;
import com.phishnet.store.audit.AuditService;
import com.phishnet.store.jobs.JobRequests.JobView;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.platform.web.PageRequest;
import com.phishnet.store.platform.web.PageResponse;
import com.phishnet.store.platform.mongo.DuplicateKeys;
import com.phishnet.store.platform.mongo.ChangePosition;
import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.time.IdSource;

import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Records admin jobs and their progress, so a caller can follow one and a rerun can resume it. Every read is
 * scoped by job scope: a tenant job is found only within its tenant; a service job belongs to no tenant, and only
 * routes that require the service-operator authority reach one.
 */
@Service
public class JobService {

    /**
     * A running job records progress after every batch (seconds apart); one silent this long was left behind
     * by a stopped instance, and may be taken over by a new start.
     */
    public static final Duration STALE_AFTER = Duration.ofMinutes(10);


    private final JobRepository repository;
    private final AuditService audit;
    private final Transactions transactions;
    private final Clock clock;
    private final IdSource ids;

    public JobService(JobRepository repository, AuditService audit, Transactions transactions, Clock clock, IdSource ids) {
        this.repository = repository;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.ids = ids;
    }

    /**
     * The jobs the caller may see, newest first: service jobs with the service-operator scope, its tenant's jobs as
     * an ADMIN, both with both.
     */
    public Mono<PageResponse<JobView>> list(Caller caller, JobType type, JobState state, PageRequest page, URI uri) {
        var listing = seenBy(caller, type, state);
        return Mono.zip(repository.page(listing, page.offset(), page.size()).map(JobView::of).collectList(),
                        repository.count(listing))
                .map(result -> PageResponse.of(result.getT1(), page, result.getT2(), uri));
    }

    /** One job the caller may see; 404 for an unknown id and for a job it may not see alike. */
    public Mono<JobView> find(Caller caller, String id) {
        return repository.findSeen(id, seenBy(caller, null, null)).map(JobView::of)
                .switchIfEmpty(Mono.error(() -> new ApiException.NotFound("No job " + id + ".")));
    }

    /**
     * Stops a running job: it is marked FAILED ("cancelled by ...") at once, and its worker, on whichever instance,
     * stops at its next progress record (seconds), as it does when a job is taken over. 409 when it has already
     * finished; audited in the caller's chain.
     */
    public Mono<JobView> cancel(Caller caller, String id) {
        var seen = seenBy(caller, null, null);
        return find(caller, id).flatMap(job -> job.state() != JobState.RUNNING
                ? Mono.error(new ApiException.Conflict("Job " + id + " is " + job.state() + "; only a running job can be cancelled."))
                : transactions.run(caller.tenantId(), () -> repository.cancel(id, seen,
                                "cancelled by " + caller.subject(), clock.instant())
                        .flatMap(cancelled -> audit.record(AuditEvent.of(caller, AuditEventType.JOB_CANCELLED,
                                        JobFields.COLLECTION, id).withDetail("type", cancelled.type().name()))
                                .thenReturn(JobView.of(cancelled))))
                        .switchIfEmpty(Mono.error(() -> new ApiException.Conflict("Job " + id + " has just finished."))));
    }

    private static JobRepository.Listing seenBy(Caller caller, JobType type, JobState state) {
        return new JobRepository.Listing(type, state, Rule.OPERATOR.admits(caller),
                Rule.ADMIN.admits(caller) ? caller.tenantId() : null);
    }

    /**
     * Records a new RUNNING job. For a service job the unique index {@value JobFields#ONE_RUNNING_SERVICE_JOB_INDEX}
     * refuses a second one of the same type while the first runs (see {@link #isAlreadyRunning}).
     */
    public Mono<JobView> start(JobType type, Caller caller) {
        return Mono.defer(() -> {
            var now = clock.instant();
            String tenant = type.scope() == JobScope.TENANT ? caller.tenantId() : null;
            return repository.insert(new Job(ids.newId(), type, type.scope(), JobState.RUNNING, caller.subject(),
                    caller.tenantId(), tenant, now, now, null, 0, 0, null, null));
        }).map(JobView::of);
    }

    /** The job if the caller may see it; empty (404) for an unknown id and for another tenant's job alike. */
    public Mono<JobView> get(String id, JobType type, Caller caller) {
        return repository.findVisible(id, type, caller.tenantId()).map(JobView::of);
    }

    /**
     * The job to follow on its progress stream, if this caller may: a service job needs the service-operator
     * authority, a tenant job an ADMIN of its tenant. Empty otherwise, exactly as for an unknown id (404 either way).
     */
    public Mono<JobView> follow(Caller caller, String id) {
        return repository.findFollowable(id, caller.tenantId())
                .filter(job -> mayFollow(caller, job))
                .map(JobView::of);
    }

    /**
     * Every job (service jobs too) as it starts, progresses and finishes, from now or from {@code from}.
     */
    public Flux<JobChange> changes(ChangePosition from) {
        return repository.changes(from)
                .map(changed -> new JobChange(changed.change().token(), changed.change().committedAt(),
                        JobView.of(changed.job())));
    }

    /**
     * Starts a service job of a type that runs one at a time. {@code start} records it; the unique index
     * {@value JobFields#ONE_RUNNING_SERVICE_JOB_INDEX} refuses it while another of the type runs. Then a running one
     * silent for {@link #STALE_AFTER} (left by a stopped instance) is marked FAILED, {@code abandoned} tidies what it
     * left, and {@code start} is tried once more; a live one is a 409 with its {@code location}.
     *
     * @param what how the job is named in the 409's detail ("Backup", "Key rotation job")
     */
    public <T> Mono<T> startExclusive(JobType type, Supplier<Mono<T>> start, Function<JobView, Mono<Void>> abandoned,
            Function<JobView, URI> location, String what) {
        return Mono.defer(start).onErrorResume(JobService::isAlreadyRunning, collision -> runningServiceJob(type)
                .flatMap(running -> abandonIfStale(running.id())
                        .flatMap(stale -> abandoned.apply(stale).thenReturn(stale))
                        .switchIfEmpty(Mono.error(() -> new ApiException.Conflict(what + " " + running.id()
                                + " is still running; follow it instead of starting another.", location.apply(running)))))
                // Stale and now failed, or finished in the meantime: one more try; a second collision is a 409.
                .then(Mono.defer(start))
                .onErrorMap(JobService::isAlreadyRunning, again -> new ApiException.Conflict(
                        "Another " + what.toLowerCase(java.util.Locale.ROOT) + " has just started.", null)));
    }

    /** The RUNNING service job of a type, if any (the one a second start collided with). */
    public Mono<JobView> runningServiceJob(JobType type) {
        return repository.findRunningService(type).map(JobView::of);
    }

    /**
     * Marks a RUNNING job FAILED if it has recorded nothing for {@link #STALE_AFTER}; empty when it is alive
     * (or already finished), so two instances cannot both take it over.
     */
    public Mono<JobView> abandonIfStale(String id) {
        Instant now = clock.instant();
        return repository.failIfSilentSince(id, now.minus(STALE_AFTER), "abandoned: no progress for " + STALE_AFTER, now).map(JobView::of);
    }

    /**
     * Adds a batch's counts and moves the resume cursor past it. Empty when the job is no longer RUNNING
     * (taken over as stale): its worker should stop.
     */
    public Mono<JobView> progress(String id, long processed, long changed, String cursor) {
        return repository.recordProgress(id, processed, changed, cursor, clock.instant()).map(JobView::of);
    }

    /** Empty when the job had already stopped running. */
    public Mono<JobView> complete(String id) {
        return repository.complete(id, clock.instant()).map(JobView::of);
    }

    /** Why a job failed, as its record and audit entry say it: the failure's message (its type without one), bounded. */
    public static String failureReason(Throwable failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return message.length() > 1000 ? message.substring(0, 1000) : message;
    }

    /** Records why a job stopped; the message must not contain secrets. Empty when it had already stopped. */
    public Mono<JobView> fail(String id, String error) {
        return repository.fail(id, error.length() > 1000 ? error.substring(0, 1000) : error, clock.instant()).map(JobView::of);
    }

    private static boolean mayFollow(Caller caller, Job job) {
        return switch (job.scope()) {
            case SERVICE -> Rule.OPERATOR.admits(caller);
            case TENANT -> job.tenantId().equals(caller.tenantId()) && Rule.ADMIN.admits(caller);
        };
    }

    /** Whether a start failed because a service job of the same type is already RUNNING. */
    public static boolean isAlreadyRunning(Throwable failure) {
        return DuplicateKeys.onIndex(failure, JobFields.ONE_RUNNING_SERVICE_JOB_INDEX);
    }
}
