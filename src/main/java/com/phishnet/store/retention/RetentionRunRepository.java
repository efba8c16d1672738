package com.phishnet.store.retention;

import static org.springframework.data.mongodb.core.query.Criteria.where;

import java.time.Instant;
import java.util.List;

import com.phishnet.store.jobs.JobState;
import com.phishnet.store.platform.web.PageRequest;
import org.bson.Document;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code retention_runs}, and the data collections a run counts and deletes in. Those are read and written as plain
 * documents with the filters {@link RetentionPlanner} builds: retention works across features' collections by
 * design, and only ever with a filter that names the tenant.
 */
@Repository
class RetentionRunRepository {

    private final ReactiveMongoTemplate mongo;

    RetentionRunRepository(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    // ---- runs ----------------------------------------------------------------------------------------------

    Mono<RetentionRun> insert(RetentionRun run) {
        return mongo.insert(run);
    }

    Mono<RetentionRun> find(String id) {
        return mongo.findById(id, RetentionRun.class);
    }

    Flux<RetentionRun> page(PageRequest page) {
        return mongo.find(new Query().with(newestFirst()).skip(page.offset()).limit(page.size()), RetentionRun.class);
    }

    Mono<Long> count() {
        return mongo.count(new Query(), RetentionRun.class);
    }

    /** Runs other than {@code exceptId} that never reached DONE: their archive is finished or discarded first. */
    Flux<RetentionRun> unfinished(String exceptId) {
        return mongo.find(unfinishedQuery(exceptId).limit(RetentionFields.MAX_RESUMED), RetentionRun.class);
    }

    /** The run, not DONE yet, whose archive this is. */
    Mono<RetentionRun> unfinishedWithArchive(String archiveId) {
        return mongo.findOne(unfinishedWithArchiveQuery(archiveId), RetentionRun.class);
    }

    static Query unfinishedWithArchiveQuery(String archiveId) {
        return Query.query(where(RetentionFields.RUN_ARCHIVE_ID).is(archiveId).and(RetentionFields.RUN_PHASE)
                .ne(RetentionRun.Phase.DONE));
    }

    static Query unfinishedQuery(String exceptId) {
        return Query.query(where(RetentionFields.RUN_PHASE).ne(RetentionRun.Phase.DONE)
                .and(RetentionFields.RUN_ID).ne(exceptId)).with(Sort.by(Sort.Order.asc(RetentionFields.RUN_STARTED_AT)));
    }

    // Every transition names the state it leaves: a worker that was stopped (cancelled, taken over, settled by a
    // later run) finds nothing to change and stops, instead of overwriting what the later run recorded.

    Mono<RetentionRun> planned(String id, List<RetentionRun.Tally> tallies) {
        return modify(running(id, RetentionRun.Phase.PLANNING), new Update().set(RetentionFields.RUN_TALLIES, tallies)
                .set(RetentionFields.RUN_PHASE, RetentionRun.Phase.ARCHIVING));
    }

    Mono<RetentionRun> archived(String id, long documents) {
        return modify(running(id, RetentionRun.Phase.ARCHIVING), new Update().set(RetentionFields.RUN_ARCHIVED, documents)
                .set(RetentionFields.RUN_PHASE, RetentionRun.Phase.DELETING));
    }

    /**
     * Ends a run: DONE, whatever its state becomes, so no later run looks at its archive again. The run itself ends
     * only while RUNNING; a later run ends an earlier one whatever its state, if it is not DONE yet.
     */
    Mono<RetentionRun> finish(String id, boolean itself, JobState state, List<RetentionRun.Tally> tallies, long deleted,
            List<RetentionRun.Resumed> resumed, String error, Instant at) {
        Update update = new Update().set(RetentionFields.RUN_STATE, state)
                .set(RetentionFields.RUN_PHASE, RetentionRun.Phase.DONE)
                .set(RetentionFields.RUN_FINISHED_AT, at)
                .set(RetentionFields.RUN_DELETED, deleted)
                .set(RetentionFields.RUN_RESUMED, resumed);
        if (tallies != null) {
            update.set(RetentionFields.RUN_TALLIES, tallies);
        }
        if (error != null) {
            update.set(RetentionFields.RUN_ERROR, error);
        }
        return modify(itself ? running(id, null) : notDone(id), update);
    }

    /** A run that failed: its phase stays, for the next run to settle (see RetentionRuns). */
    Mono<RetentionRun> failedKeepingPhase(String id, String error, Instant at) {
        return modify(running(id, null), new Update().set(RetentionFields.RUN_STATE, JobState.FAILED)
                .set(RetentionFields.RUN_FINISHED_AT, at)
                .set(RetentionFields.RUN_ERROR, error));
    }

    /** A run closed without (more) deletions: FAILED and DONE, kept for the listing; its archive is no longer held. */
    Mono<RetentionRun> abandon(String id, String error, Instant at) {
        return modify(notDone(id), new Update().set(RetentionFields.RUN_STATE, JobState.FAILED)
                .set(RetentionFields.RUN_PHASE, RetentionRun.Phase.DONE)
                .set(RetentionFields.RUN_FINISHED_AT, at)
                .set(RetentionFields.RUN_ERROR, error));
    }

    private Mono<RetentionRun> modify(Query query, Update update) {
        return mongo.findAndModify(query, update, FindAndModifyOptions.options().returnNew(true), RetentionRun.class);
    }

    /** The run while RUNNING (and, when given, in that phase). */
    static Query running(String id, RetentionRun.Phase phase) {
        var criteria = where(RetentionFields.RUN_ID).is(id).and(RetentionFields.RUN_STATE).is(JobState.RUNNING);
        if (phase != null) {
            criteria.and(RetentionFields.RUN_PHASE).is(phase);
        }
        else {
            criteria.and(RetentionFields.RUN_PHASE).ne(RetentionRun.Phase.DONE);
        }
        return Query.query(criteria);
    }

    static Query notDone(String id) {
        return Query.query(where(RetentionFields.RUN_ID).is(id).and(RetentionFields.RUN_PHASE).ne(RetentionRun.Phase.DONE));
    }

    private static Sort newestFirst() {
        return Sort.by(Sort.Order.desc(RetentionFields.RUN_STARTED_AT), Sort.Order.desc(RetentionFields.RUN_ID));
    }

    // ---- data collections ----------------------------------------------------------------------------------

    /** The tenants with documents in a collection (served by any tenant-first index). */
    Flux<String> tenants(String collection) {
        return mongo.getCollection(collection)
                .flatMapMany(documents -> documents.distinct(RetentionPlanner.TENANT_ID, String.class));
    }

    Mono<Long> count(String collection, Document filter) {
        return mongo.getCollection(collection).flatMap(documents -> Mono.from(documents.countDocuments(filter)));
    }

    Mono<Long> deleteMany(String collection, Document filter) {
        return mongo.getCollection(collection).flatMap(documents -> Mono.from(documents.deleteMany(filter)))
                .map(result -> result.getDeletedCount());
    }
}
