package com.phishnet.store.jobs;

import static org.springframework.data.mongodb.core.query.Criteria.where;

import java.time.Instant;
import java.util.List;

import com.phishnet.store.platform.mongo.Change;
import com.phishnet.store.platform.mongo.ChangeFeed;
import com.phishnet.store.platform.mongo.ChangeFilters;
import com.phishnet.store.platform.mongo.ChangePosition;
import org.bson.Document;

import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reactive access to {@code jobs}. A tenant job is only ever found within its tenant; every change to a job's
 * state or progress applies only while it is RUNNING and returns the job as it is afterwards.
 */
@Repository
class JobRepository {

    private final ReactiveMongoTemplate mongo;
    private final ChangeFeed changes;

    JobRepository(ReactiveMongoTemplate mongo, ChangeFeed changes) {
        this.mongo = mongo;
        this.changes = changes;
    }

    /** A change event of {@code jobs} and the job as it stood when the event was read. */
    record ChangedJob(Change change, Job job) {
    }

    Mono<Job> insert(Job job) {
        return mongo.insert(job);
    }

    Mono<Job> findVisible(String id, JobType type, String callerTenant) {
        return mongo.findOne(visibleTo(id, type, type.scope(), callerTenant), Job.class);
    }

    /** A service job, or a tenant job of {@code callerTenant}; another tenant's job is not found. */
    Mono<Job> findFollowable(String id, String callerTenant) {
        return mongo.findOne(followable(id, callerTenant), Job.class);
    }

    /** Every job as it starts and progresses, service jobs included. */
    Flux<ChangedJob> changes(ChangePosition from) {
        return changes.watch(JobFields.COLLECTION, changesPipeline(), from)
                // An update of a job deleted before the lookup has nothing left to show.
                .filter(change -> change.fullDocument() != null)
                .map(change -> new ChangedJob(change, mongo.getConverter().read(Job.class, change.fullDocument())));
    }

    /** What a list is filtered by (each optional), and which jobs the caller may see at all. */
    record Listing(JobType type, JobState state, boolean serviceJobs, String tenantJobsOf) {
    }

    Flux<Job> page(Listing listing, long offset, int size) {
        return mongo.find(listed(listing).skip(offset).limit(size), Job.class);
    }

    Mono<Long> count(Listing listing) {
        return mongo.count(Query.query(criteria(listing)), Job.class);
    }

    /** A job the caller may see (as {@link Listing} says), by id; empty for an unknown one and another's alike. */
    Mono<Job> findSeen(String id, Listing seen) {
        return mongo.findOne(seen(id, seen), Job.class);
    }

    /** Stops a RUNNING job that the caller may see: FAILED with who cancelled it. Empty when it was not running. */
    Mono<Job> cancel(String id, Listing seen, String error, Instant now) {
        return mongo.findAndModify(seenRunning(id, seen), finished(JobState.FAILED, now).set(JobFields.ERROR, error),
                FindAndModifyOptions.options().returnNew(true), Job.class);
    }

    /** The visibility and the id as parts of one $and: chaining would repeat a key the visibility already has. */
    static Query seen(String id, Listing seen) {
        return Query.query(new Criteria().andOperator(criteria(seen), where(JobFields.ID).is(id)));
    }

    static Query seenRunning(String id, Listing seen) {
        return Query.query(new Criteria().andOperator(criteria(seen), where(JobFields.ID).is(id)
                .and(JobFields.STATE).is(JobState.RUNNING)));
    }

    /** Newest first, then by id, so pages do not shift between equal start times. */
    static Query listed(Listing listing) {
        return Query.query(criteria(listing))
                .with(org.springframework.data.domain.Sort.by(org.springframework.data.domain.Sort.Order.desc(JobFields.STARTED_AT),
                        org.springframework.data.domain.Sort.Order.desc(JobFields.ID)));
    }

    /**
     * The caller's part of {@code jobs}: service jobs if it may see them, its tenant's jobs if it may see those; a
     * caller who may see neither matches nothing (the route's rule keeps such callers out before this).
     */
    static Criteria criteria(Listing listing) {
        List<Criteria> visible = new java.util.ArrayList<>();
        if (listing.serviceJobs()) {
            visible.add(where(JobFields.SCOPE).is(JobScope.SERVICE));
        }
        if (listing.tenantJobsOf() != null) {
            visible.add(where(JobFields.SCOPE).is(JobScope.TENANT).and(JobFields.TENANT_ID).is(listing.tenantJobsOf()));
        }
        if (visible.isEmpty()) {
            visible.add(where(JobFields.ID).in(List.of()));
        }
        Criteria criteria = visible.size() == 1 ? visible.get(0) : new Criteria().orOperator(visible);
        if (listing.type() != null) {
            criteria.and(JobFields.TYPE).is(listing.type());
        }
        if (listing.state() != null) {
            criteria.and(JobFields.STATE).is(listing.state());
        }
        return criteria;
    }

    Mono<Job> findRunningService(JobType type) {
        return mongo.findOne(runningService(type), Job.class);
    }

    /** Empty when the job is not RUNNING or has recorded something since {@code silentSince}. */
    Mono<Job> failIfSilentSince(String id, Instant silentSince, String error, Instant now) {
        return mongo.findAndModify(staleRunning(id, silentSince),
                finished(JobState.FAILED, now).set(JobFields.ERROR, error),
                FindAndModifyOptions.options().returnNew(true), Job.class);
    }

    Mono<Job> recordProgress(String id, long processed, long changed, String cursor, Instant now) {
        return modifyRunning(id, progressed(processed, changed, cursor, now));
    }

    Mono<Job> complete(String id, Instant now) {
        return modifyRunning(id, finished(JobState.COMPLETED, now));
    }

    Mono<Job> fail(String id, String error, Instant now) {
        return modifyRunning(id, finished(JobState.FAILED, now).set(JobFields.ERROR, error));
    }

    /** By id and type, and for a tenant job by the caller's tenant: another tenant's job is simply not found. */
    static Query visibleTo(String id, JobType type, JobScope scope, String callerTenant) {
        var criteria = where(JobFields.ID).is(id).and(JobFields.TYPE).is(type).and(JobFields.SCOPE).is(scope);
        if (scope == JobScope.TENANT) {
            criteria.and(JobFields.TENANT_ID).is(callerTenant);
        }
        return Query.query(criteria);
    }

    static Query followable(String id, String callerTenant) {
        return Query.query(where(JobFields.ID).is(id).orOperator(
                where(JobFields.SCOPE).is(JobScope.SERVICE),
                new Criteria().andOperator(where(JobFields.SCOPE).is(JobScope.TENANT),
                        where(JobFields.TENANT_ID).is(callerTenant))));
    }

    /** Inserts, progress updates and replaces. */
    static List<Document> changesPipeline() {
        return ChangeFilters.pipeline(ChangeFilters.operationTypeIn(ChangeFilters.INSERT, ChangeFilters.UPDATE,
                ChangeFilters.REPLACE));
    }

    static Query runningService(JobType type) {
        return Query.query(where(JobFields.TYPE).is(type).and(JobFields.SCOPE).is(JobScope.SERVICE)
                .and(JobFields.STATE).is(JobState.RUNNING));
    }

    static Query staleRunning(String id, Instant silentSince) {
        return Query.query(where(JobFields.ID).is(id).and(JobFields.STATE).is(JobState.RUNNING)
                .and(JobFields.UPDATED_AT).lt(silentSince));
    }

    static Query running(String id) {
        return Query.query(where(JobFields.ID).is(id).and(JobFields.STATE).is(JobState.RUNNING));
    }

    /** Adds a batch's counts and moves the resume cursor past it (where the batch gave one). */
    static Update progressed(long processed, long changed, String cursor, Instant now) {
        Update update = new Update().inc(JobFields.PROCESSED, processed).inc(JobFields.CHANGED, changed)
                .set(JobFields.UPDATED_AT, now);
        if (cursor != null) {
            update.set(JobFields.CURSOR, cursor);
        }
        return update;
    }

    static Update finished(JobState state, Instant now) {
        return new Update().set(JobFields.STATE, state).set(JobFields.COMPLETED_AT, now).set(JobFields.UPDATED_AT, now);
    }

    private Mono<Job> modifyRunning(String id, Update update) {
        return mongo.findAndModify(running(id), update, FindAndModifyOptions.options().returnNew(true), Job.class);
    }
}
