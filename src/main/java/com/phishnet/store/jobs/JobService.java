package com.phishnet.store.jobs;

import static org.springframework.data.mongodb.core.query.Criteria.where;

import java.time.Clock;

import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.time.IdSource;

import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Records admin jobs and their progress, so a caller can follow one and a rerun can resume it. */
@Service
public class JobService {

    private final ReactiveMongoTemplate mongo;
    private final Clock clock;
    private final IdSource ids;

    public JobService(ReactiveMongoTemplate mongo, Clock clock, IdSource ids) {
        this.mongo = mongo;
        this.clock = clock;
        this.ids = ids;
    }

    public Mono<Job> start(Job.JobType type, Caller caller) {
        var now = clock.instant();
        return mongo.insert(new Job(ids.newId(), type, Job.JobState.RUNNING, caller.subject(), caller.tenantId(), now,
                now, null, 0, 0, null, null));
    }

    public Mono<Job> get(String id, Job.JobType type) {
        return mongo.findOne(Query.query(where(JobFields.ID).is(id).and(JobFields.TYPE).is(type)), Job.class);
    }

    /** Adds a batch's counts and moves the resume cursor past it. */
    public Mono<Job> progress(String id, long processed, long changed, String cursor) {
        Update update = new Update().inc(JobFields.PROCESSED, processed).inc(JobFields.CHANGED, changed)
                .set(JobFields.UPDATED_AT, clock.instant());
        if (cursor != null) {
            update.set(JobFields.CURSOR, cursor);
        }
        return modify(id, update);
    }

    public Mono<Job> complete(String id) {
        var now = clock.instant();
        return modify(id, new Update().set(JobFields.STATE, Job.JobState.COMPLETED).set(JobFields.COMPLETED_AT, now)
                .set(JobFields.UPDATED_AT, now));
    }

    /** Records why a job stopped; the message must not contain secrets. */
    public Mono<Job> fail(String id, String error) {
        var now = clock.instant();
        return modify(id, new Update().set(JobFields.STATE, Job.JobState.FAILED).set(JobFields.COMPLETED_AT, now)
                .set(JobFields.UPDATED_AT, now).set(JobFields.ERROR, error.length() > 1000 ? error.substring(0, 1000) : error));
    }

    private Mono<Job> modify(String id, Update update) {
        return mongo.findAndModify(Query.query(where(JobFields.ID).is(id)), update,
                FindAndModifyOptions.options().returnNew(true), Job.class);
    }
}
