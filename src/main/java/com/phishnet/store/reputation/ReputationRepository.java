package com.phishnet.store.reputation;

import static org.springframework.data.mongodb.core.query.Criteria.where;

import java.time.Instant;

import org.springframework.data.mongodb.core.FindAndReplaceOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** {@code reputation_cache} in MongoDB: global verdicts and tenant overrides, expired by its TTL index. */
@Repository
class ReputationRepository implements ReputationStore {

    private final ReactiveMongoTemplate mongo;

    ReputationRepository(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    @Override
    public Mono<ReputationEntry> findValid(ReputationOwner owner, SubjectType type, String subject, Instant now) {
        return mongo.findOne(validQuery(owner, type, subject, now), ReputationEntry.class);
    }

    /**
     * Filtered by {@code _id} alone, the only unique key of the collection: when two writers upsert the same
     * subject at once, the loser's duplicate-key error is on exactly the query's equality field, so the server
     * retries it as an update instead of failing it.
     */
    @Override
    public Mono<ReputationEntry> save(ReputationEntry entry) {
        return mongo.findAndReplace(upsertQuery(entry), entry, FindAndReplaceOptions.options().upsert().returnNew());
    }

    static Query upsertQuery(ReputationEntry entry) {
        return Query.query(where(ReputationFields.ID).is(entry.id()));
    }

    /**
     * A tenant's override is looked up by tenant, type and subject (index {@code reputation_tenant_subject},
     * tenantId first like every tenant query); a global verdict by its id.
     */
    static Query validQuery(ReputationOwner owner, SubjectType type, String subject, Instant now) {
        Criteria key = owner.scope() == ReputationScope.TENANT
                ? where(ReputationFields.TENANT_ID).is(owner.tenantId()).and(ReputationFields.SUBJECT_TYPE).is(type)
                        .and(ReputationFields.SUBJECT).is(subject)
                : where(ReputationFields.ID).is(owner.documentId(type, subject));
        return Query.query(key.and(ReputationFields.EXPIRES_AT).gt(now));
    }
}
