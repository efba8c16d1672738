package com.phishnet.store.jobs;

import static org.springframework.data.mongodb.core.query.Criteria.where;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.mongodb.MongoServerException;
import com.phishnet.store.jobs.Job.JobScope;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.time.IdSource;

import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;
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

    private static final int DUPLICATE_KEY = 11000;

    private final ReactiveMongoTemplate mongo;
    private final Clock clock;
    private final IdSource ids;

    public JobService(ReactiveMongoTemplate mongo, Clock clock, IdSource ids) {
        this.mongo = mongo;
        this.clock = clock;
        this.ids = ids;
    }

    /**
     * Records a new RUNNING job. For a service job the unique index {@value JobFields#ONE_RUNNING_SERVICE_JOB_INDEX}
     * refuses a second one of the same type while the first runs (see {@link #isAlreadyRunning}).
     */
    public Mono<Job> start(Job.JobType type, Caller caller) {
        return Mono.defer(() -> {
            var now = clock.instant();
            String tenant = type.scope() == JobScope.TENANT ? caller.tenantId() : null;
            return mongo.insert(new Job(ids.newId(), type, type.scope(), Job.JobState.RUNNING, caller.subject(),
                    caller.tenantId(), tenant, now, now, null, 0, 0, null, null));
        });
    }

    /** The job if the caller may see it; empty (404) for an unknown id and for another tenant's job alike. */
    public Mono<Job> get(String id, Job.JobType type, Caller caller) {
        return mongo.findOne(visibleTo(id, type, caller), Job.class);
    }

    /** The RUNNING service job of a type, if any (the one a second start collided with). */
    public Mono<Job> runningServiceJob(Job.JobType type) {
        return mongo.findOne(runningService(type), Job.class);
    }

    /**
     * Marks a RUNNING job FAILED if it has recorded nothing for {@link #STALE_AFTER}; empty when it is alive
     * (or already finished), so two instances cannot both take it over.
     */
    public Mono<Job> abandonIfStale(String id) {
        Instant now = clock.instant();
        return mongo.findAndModify(staleRunning(id, now.minus(STALE_AFTER)),
                finished(Job.JobState.FAILED, now).set(JobFields.ERROR, "abandoned: no progress for " + STALE_AFTER),
                FindAndModifyOptions.options().returnNew(true), Job.class);
    }

    /**
     * Adds a batch's counts and moves the resume cursor past it. Empty when the job is no longer RUNNING
     * (taken over as stale): its worker should stop.
     */
    public Mono<Job> progress(String id, long processed, long changed, String cursor) {
        Update update = new Update().inc(JobFields.PROCESSED, processed).inc(JobFields.CHANGED, changed)
                .set(JobFields.UPDATED_AT, clock.instant());
        if (cursor != null) {
            update.set(JobFields.CURSOR, cursor);
        }
        return modifyRunning(id, update);
    }

    /** Empty when the job had already stopped running. */
    public Mono<Job> complete(String id) {
        return modifyRunning(id, finished(Job.JobState.COMPLETED, clock.instant()));
    }

    /** Records why a job stopped; the message must not contain secrets. Empty when it had already stopped. */
    public Mono<Job> fail(String id, String error) {
        return modifyRunning(id, finished(Job.JobState.FAILED, clock.instant())
                .set(JobFields.ERROR, error.length() > 1000 ? error.substring(0, 1000) : error));
    }

    /** Whether a start failed because a service job of the same type is already RUNNING. */
    public static boolean isAlreadyRunning(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof MongoServerException server && server.getCode() == DUPLICATE_KEY
                    && String.valueOf(server.getMessage()).contains(JobFields.ONE_RUNNING_SERVICE_JOB_INDEX)) {
                return true;
            }
        }
        return false;
    }

    static Query visibleTo(String id, Job.JobType type, Caller caller) {
        return visibleTo(id, type, type.scope(), caller.tenantId());
    }

    /** By id and type, and for a tenant job by the caller's tenant: another tenant's job is simply not found. */
    static Query visibleTo(String id, Job.JobType type, JobScope scope, String callerTenant) {
        var criteria = where(JobFields.ID).is(id).and(JobFields.TYPE).is(type).and(JobFields.SCOPE).is(scope);
        if (scope == JobScope.TENANT) {
            criteria.and(JobFields.TENANT_ID).is(callerTenant);
        }
        return Query.query(criteria);
    }

    static Query runningService(Job.JobType type) {
        return Query.query(where(JobFields.TYPE).is(type).and(JobFields.SCOPE).is(JobScope.SERVICE)
                .and(JobFields.STATE).is(Job.JobState.RUNNING));
    }

    static Query staleRunning(String id, Instant silentSince) {
        return Query.query(where(JobFields.ID).is(id).and(JobFields.STATE).is(Job.JobState.RUNNING)
                .and(JobFields.UPDATED_AT).lt(silentSince));
    }

    static Query running(String id) {
        return Query.query(where(JobFields.ID).is(id).and(JobFields.STATE).is(Job.JobState.RUNNING));
    }

    private static Update finished(Job.JobState state, Instant now) {
        return new Update().set(JobFields.STATE, state).set(JobFields.COMPLETED_AT, now).set(JobFields.UPDATED_AT, now);
    }

    private Mono<Job> modifyRunning(String id, Update update) {
        return mongo.findAndModify(running(id), update, FindAndModifyOptions.options().returnNew(true), Job.class);
    }
}
