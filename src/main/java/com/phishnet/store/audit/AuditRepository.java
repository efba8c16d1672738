package com.phishnet.store.audit;

import static org.springframework.data.mongodb.core.query.Criteria.where;

import java.time.Instant;
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
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
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
        return DuplicateKeys.asTransient(lostRace, "Another transaction appended to this audit chain first");
    }

    /** The chain after a checkpoint (0: the whole chain), oldest first; served by the (tenantId, seq) index. */
    Flux<AuditEntry> chainAfter(String tenantId, long afterSeq) {
        return mongo.find(afterQuery(tenantId, afterSeq), AuditEntry.class);
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

    /** The first {@code limit} entries after a checkpoint (0: from the start), oldest first. */
    Flux<AuditEntry> after(String tenantId, long afterSeq, int limit) {
        return mongo.find(afterQuery(tenantId, afterSeq).limit(limit), AuditEntry.class);
    }

    Mono<AuditEntry> at(String tenantId, long seq) {
        return mongo.findOne(Query.query(where(AuditFields.TENANT_ID).is(tenantId).and(AuditFields.SEQUENCE).is(seq)),
                AuditEntry.class);
    }

    /** Removes a prefix of the chain; served by the (tenantId, seq) unique index. */
    Mono<Long> deleteThrough(String tenantId, long throughSeq) {
        return mongo.remove(throughQuery(tenantId, throughSeq), AuditEntry.class).map(result -> result.getDeletedCount());
    }

    /** Erases the personal fields of the user's v2 entries not yet erased; answers how many it changed. */
    Mono<Long> erase(String tenantId, String userId, Instant now) {
        return mongo.updateMulti(erasableQuery(tenantId, userId), eraseUpdate(now), AuditEntry.class)
                .map(result -> result.getModifiedCount());
    }

    /** v1 entries that name the user: their hash covers ip and userAgent, so they cannot be erased. */
    Mono<Long> countLegacy(String tenantId, String userId) {
        return mongo.count(legacyQuery(tenantId, userId), AuditEntry.class);
    }

    Mono<AuditCheckpoint> checkpoint(String tenantId) {
        return mongo.findOne(Query.query(where(AuditFields.CHECKPOINT_TENANT_ID).is(tenantId)), AuditCheckpoint.class);
    }

    /**
     * Writes the tenant's checkpoint in the surrounding transaction. Two removals racing on it conflict on this one
     * document; should the server report the loser's upsert as a duplicate {@code _id} rather than a write conflict,
     * it is labelled transient the same way, and the re-run finds the winner's checkpoint.
     */
    Mono<AuditCheckpoint> saveCheckpoint(AuditCheckpoint checkpoint) {
        return mongo.upsert(Query.query(where(AuditFields.CHECKPOINT_TENANT_ID).is(checkpoint.tenantId())),
                        checkpointUpdate(checkpoint), AuditCheckpoint.class)
                .onErrorMap(failure -> DuplicateKeys.onIndex(failure, "_id_"), AuditRepository::asTransient)
                .thenReturn(checkpoint);
    }

    static Query afterQuery(String tenantId, long afterSeq) {
        return Query.query(where(AuditFields.TENANT_ID).is(tenantId).and(AuditFields.SEQUENCE).gt(afterSeq))
                .with(Sort.by(Sort.Direction.ASC, AuditFields.SEQUENCE));
    }

    static Query throughQuery(String tenantId, long throughSeq) {
        return Query.query(where(AuditFields.TENANT_ID).is(tenantId).and(AuditFields.SEQUENCE).lte(throughSeq));
    }

    /** v2 entries the user acted in, not erased yet: a re-run changes nothing. Served by audit_tenant_actor_at. */
    static Query erasableQuery(String tenantId, String userId) {
        return Query.query(namesUser(tenantId, userId).and(AuditFields.VERSION).is(AuditChain.VERSION)
                .and(AuditFields.ERASED_AT).exists(false));
    }

    static Query legacyQuery(String tenantId, String userId) {
        return Query.query(namesUser(tenantId, userId).and(AuditFields.VERSION).exists(false));
    }

    /** The salt goes with the fields: without it the digest can no longer be tested against guessed values. */
    static Update eraseUpdate(Instant now) {
        return new Update().unset(AuditFields.IP).unset(AuditFields.USER_AGENT).unset(AuditFields.SALT)
                .set(AuditFields.ERASED_AT, now);
    }

    static Update checkpointUpdate(AuditCheckpoint checkpoint) {
        return new Update().set(AuditFields.CHECKPOINT_SEQUENCE, checkpoint.seq())
                .set(AuditFields.CHECKPOINT_HASH, checkpoint.hash())
                .set(AuditFields.CHECKPOINT_REMOVED_AT, checkpoint.removedAt())
                .set(AuditFields.CHECKPOINT_ARCHIVE_ID, checkpoint.archiveId());
    }

    /** An entry's ip and user agent are its actor's: the entries about the user that others made keep theirs. */
    private static Criteria namesUser(String tenantId, String userId) {
        return where(AuditFields.TENANT_ID).is(tenantId).and(AuditFields.ACTOR_ID).is(userId);
    }

    static Query lastQuery(String tenantId) {
        return Query.query(where(AuditFields.TENANT_ID).is(tenantId))
                .with(Sort.by(Sort.Direction.DESC, AuditFields.SEQUENCE))
                .limit(1);
    }
}
