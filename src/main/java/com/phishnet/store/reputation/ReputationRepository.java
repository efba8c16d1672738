package com.phishnet.store.reputation;

import static org.springframework.data.mongodb.core.query.Criteria.where;

import java.time.Instant;

import org.springframework.data.mongodb.core.FindAndReplaceOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** {@code reputation_cache} in MongoDB: shared by all tenants, expired by its TTL index. */
@Repository
class ReputationRepository implements ReputationStore {

    private final ReactiveMongoTemplate mongo;

    ReputationRepository(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    @Override
    public Mono<ReputationEntry> findValid(SubjectType type, String subject, Instant now) {
        return mongo.findOne(validQuery(type, subject, now), ReputationEntry.class);
    }

    @Override
    public Mono<ReputationEntry> save(ReputationEntry entry) {
        return mongo.findAndReplace(Query.query(where(ReputationFields.SUBJECT_TYPE).is(entry.subjectType())
                        .and(ReputationFields.SUBJECT).is(entry.subject())), entry,
                FindAndReplaceOptions.options().upsert().returnNew());
    }

    /** Served by the unique (subjectType, subject) index. */
    static Query validQuery(SubjectType type, String subject, Instant now) {
        return Query.query(where(ReputationFields.SUBJECT_TYPE).is(type).and(ReputationFields.SUBJECT).is(subject)
                .and(ReputationFields.EXPIRES_AT).gt(now));
    }
}
