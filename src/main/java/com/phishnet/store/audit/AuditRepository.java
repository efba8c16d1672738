package com.phishnet.store.audit;

import static org.springframework.data.mongodb.core.query.Criteria.where;

import java.util.List;

import com.mongodb.MongoException;

import com.phishnet.store.platform.mongo.Change;
import com.phishnet.store.platform.mongo.ChangeFeed;
import com.phishnet.store.platform.mongo.ChangeFilters;
import com.phishnet.store.platform.mongo.DuplicateKeys;
import com.phishnet.store.platform.mongo.ChangePosition;
import org.bson.Document;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reactive access to {@code audit_logs}; every query names its tenant. */
@Repository
class AuditRepository {

    private final ReactiveMongoTemplate mongo;
    private final ChangeFeed changes;

    AuditRepository(ReactiveMongoTemplate mongo, ChangeFeed changes) {
        this.mongo = mongo;
        this.changes = changes;
    }

    /** An insert event of {@code audit_logs} and the entry it appended. */
    record AppendedEntry(Change change, AuditEntry entry) {
    }

    /** Entries as they are committed, of every tenant's chain. */
    Flux<AppendedEntry> appended(ChangePosition from) {
        return changes.watch(AuditFields.COLLECTION, appendedPipeline(), from)
                .map(change -> new AppendedEntry(change, mongo.getConverter().read(AuditEntry.class, change.fullDocument())));
    }

    /** The chain is append-only: inserts are all there is to follow. */
    static List<Document> appendedPipeline() {
        return ChangeFilters.pipeline(ChangeFilters.operationTypeIn(ChangeFilters.INSERT));
    }

    /** The head of a tenant's chain, read through the (tenantId, seq) unique index. */
    Mono<AuditEntry> last(String tenantId) {
        return mongo.findOne(lastQuery(tenantId), AuditEntry.class);
    }

    /** Served by the {@code _id} index; the tenant is named so no id can reach another tenant's chain. */
    Mono<Boolean> exists(String tenantId, String entryId) {
        return mongo.exists(Query.query(where(AuditFields.ID).is(entryId).and(AuditFields.TENANT_ID).is(tenantId)),
                AuditEntry.class);
    }

    /**
     * Two appenders of one tenant's chain normally meet as a write conflict; should the server report the second
     * as a duplicate (tenantId, seq) instead, the whole unit is just as safe to re-run, so it is labelled transient
     * like a write conflict and {@link com.phishnet.store.platform.mongo.Transactions} retries it.
     */
    Mono<AuditEntry> insert(AuditEntry entry) {
        return mongo.insert(entry).onErrorMap(AuditRepository::lostChainRace, AuditRepository::asTransient);
    }

    static boolean lostChainRace(Throwable failure) {
        return DuplicateKeys.onIndex(failure, AuditFields.SEQUENCE_INDEX);
    }

    static MongoException asTransient(Throwable lostRace) {
        MongoException transientFailure = new MongoException("Another transaction appended to this audit chain first",
                lostRace);
        transientFailure.addLabel(MongoException.TRANSIENT_TRANSACTION_ERROR_LABEL);
        return transientFailure;
    }

    Flux<AuditEntry> chain(String tenantId) {
        return mongo.find(Query.query(where(AuditFields.TENANT_ID).is(tenantId))
                .with(Sort.by(Sort.Direction.ASC, AuditFields.SEQUENCE)), AuditEntry.class);
    }

    Flux<AuditEntry> forTarget(String tenantId, String targetId) {
        return mongo.find(Query.query(where(AuditFields.TENANT_ID).is(tenantId).and(AuditFields.TARGET_ID).is(targetId))
                .with(Sort.by(Sort.Direction.ASC, AuditFields.SEQUENCE)), AuditEntry.class);
    }

    Flux<AuditEntry> page(AuditFilter filter, String tenantId, long skip, int limit) {
        return mongo.find(filterQuery(tenantId, filter).with(Sort.by(Sort.Direction.DESC, AuditFields.AT, AuditFields.ID))
                .skip(skip).limit(limit), AuditEntry.class);
    }

    Mono<Long> count(AuditFilter filter, String tenantId) {
        return mongo.count(filterQuery(tenantId, filter), AuditEntry.class);
    }

    static Query filterQuery(String tenantId, AuditFilter filter) {
        org.springframework.data.mongodb.core.query.Criteria criteria = where(AuditFields.TENANT_ID).is(tenantId);
        if (filter.eventType() != null) {
            criteria.and(AuditFields.EVENT_TYPE).is(filter.eventType().name());
        }
        if (filter.actorId() != null) {
            criteria.and(AuditFields.ACTOR_ID).is(filter.actorId());
        }
        if (filter.targetId() != null) {
            criteria.and(AuditFields.TARGET_ID).is(filter.targetId());
        }
        if (filter.from() != null || filter.to() != null) {
            org.springframework.data.mongodb.core.query.Criteria at = criteria.and(AuditFields.AT);
            if (filter.from() != null) {
                at.gte(filter.from());
            }
            if (filter.to() != null) {
                at.lt(filter.to());
            }
        }
        return Query.query(criteria);
    }

    static Query lastQuery(String tenantId) {
        return Query.query(where(AuditFields.TENANT_ID).is(tenantId))
                .with(Sort.by(Sort.Direction.DESC, AuditFields.SEQUENCE))
                .limit(1);
    }
}
