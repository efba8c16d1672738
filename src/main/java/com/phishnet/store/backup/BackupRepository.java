package com.phishnet.store.backup;

import static org.springframework.data.mongodb.core.query.Criteria.where;

import java.time.Instant;

import com.phishnet.store.platform.web.PageRequest;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reactive access to {@code backups}. A backup leaves RUNNING once (completed or failed) and its contents never
 * change after that; only its verification and its deletion follow.
 */
@Repository
class BackupRepository {

    private final ReactiveMongoTemplate mongo;

    BackupRepository(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** What a list is filtered by; every part optional. */
    record Filter(BackupState state, Instant from, Instant to) {
    }

    Mono<Backup> insert(Backup backup) {
        return mongo.insert(backup);
    }

    Mono<Backup> find(String id) {
        return mongo.findById(id, Backup.class);
    }

    Flux<Backup> page(Filter filter, PageRequest page) {
        return mongo.find(listed(filter).skip(page.offset()).limit(page.size()), Backup.class);
    }

    Mono<Long> count(Filter filter) {
        return mongo.count(Query.query(criteria(filter)), Backup.class);
    }

    Flux<Backup> running() {
        return mongo.find(Query.query(where(BackupFields.STATE).is(BackupState.RUNNING)), Backup.class);
    }

    /** Every backup that is not running, newest first: what retention chooses from. */
    Flux<Backup> finished() {
        return mongo.find(Query.query(where(BackupFields.STATE).in(BackupState.COMPLETED, BackupState.FAILED))
                .with(newestFirst()), Backup.class);
    }

    /** Empty when the backup is no longer RUNNING (failed by a takeover meanwhile). */
    Mono<Backup> complete(String id, Backup stored) {
        return mongo.findAndModify(running(id), completed(stored), FindAndModifyOptions.options().returnNew(true),
                Backup.class);
    }

    Mono<Backup> fail(String id, String error, Instant at) {
        return mongo.findAndModify(running(id), failed(error, at), FindAndModifyOptions.options().returnNew(true),
                Backup.class);
    }

    /** Fails a backup that is RUNNING, or COMPLETED without a passed verification; empty for any other. */
    Mono<Backup> failUnlessVerified(String id, String error, Instant at) {
        return mongo.findAndModify(unverified(id), failed(error, at), FindAndModifyOptions.options().returnNew(true),
                Backup.class);
    }

    Mono<Backup> recordVerification(String id, Backup.Verification verification) {
        return mongo.findAndModify(Query.query(where(BackupFields.ID).is(id).and(BackupFields.STATE).is(BackupState.COMPLETED)),
                new Update().set(BackupFields.VERIFICATION, verification),
                FindAndModifyOptions.options().returnNew(true), Backup.class);
    }

    /** Removes a backup that is not running; empty when there was none such. */
    Mono<Backup> deleteFinished(String id) {
        return mongo.findAndRemove(Query.query(where(BackupFields.ID).is(id).and(BackupFields.STATE).ne(BackupState.RUNNING)),
                Backup.class);
    }

    static Query listed(Filter filter) {
        return Query.query(criteria(filter)).with(newestFirst());
    }

    /** Newest first, then by id so a page boundary between equal times is stable (index backups_requested). */
    static Sort newestFirst() {
        return Sort.by(Sort.Order.desc(BackupFields.REQUESTED_AT), Sort.Order.desc(BackupFields.ID));
    }

    static Criteria criteria(Filter filter) {
        Criteria criteria = new Criteria();
        if (filter.state() != null) {
            criteria.and(BackupFields.STATE).is(filter.state());
        }
        if (filter.from() != null || filter.to() != null) {
            Criteria requestedAt = criteria.and(BackupFields.REQUESTED_AT);
            if (filter.from() != null) {
                requestedAt.gte(filter.from());
            }
            if (filter.to() != null) {
                requestedAt.lt(filter.to());
            }
        }
        return criteria;
    }

    static Query running(String id) {
        return Query.query(where(BackupFields.ID).is(id).and(BackupFields.STATE).is(BackupState.RUNNING));
    }

    static Query unverified(String id) {
        return Query.query(where(BackupFields.ID).is(id).orOperator(where(BackupFields.STATE).is(BackupState.RUNNING),
                where(BackupFields.STATE).is(BackupState.COMPLETED)
                        .and(BackupFields.VERIFICATION + "." + BackupFields.VERIFICATION_PASSED).ne(true)));
    }

    static Update completed(Backup stored) {
        Update update = new Update().set(BackupFields.STATE, BackupState.COMPLETED)
                .set(BackupFields.COMPLETED_AT, stored.completedAt())
                .set(BackupFields.DATABASE, stored.database())
                .set(BackupFields.CLUSTER_TIME, stored.clusterTime())
                .set(BackupFields.CONTENTS, stored.contents())
                .set(BackupFields.KEY_IDS, stored.keyIds())
                .set(BackupFields.DOCUMENTS, stored.documents())
                .set(BackupFields.SIZE_BYTES, stored.sizeBytes())
                .set(BackupFields.CHECKSUM, stored.checksum())
                .set(BackupFields.LOCATION, stored.location());
        // Absent, never null: the validator types every field it lists, and null is not a string.
        if (stored.encryptionKeyId() != null) {
            update.set(BackupFields.ENCRYPTION_KEY_ID, stored.encryptionKeyId());
        }
        return update;
    }

    static Update failed(String error, Instant at) {
        return new Update().set(BackupFields.STATE, BackupState.FAILED).set(BackupFields.COMPLETED_AT, at)
                .set(BackupFields.ERROR, error);
    }
}
