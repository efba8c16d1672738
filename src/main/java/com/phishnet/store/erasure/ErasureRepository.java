package com.phishnet.store.erasure;

import static org.springframework.data.mongodb.core.query.Criteria.where;

import java.time.Instant;

import com.phishnet.store.platform.crypto.Sealed;
import com.phishnet.store.platform.mongo.DuplicateKeys;

import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Reactive access to the {@code erasures} register; every query names its tenant. */
@Repository
class ErasureRepository {

    private final ReactiveMongoTemplate mongo;

    ErasureRepository(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    Mono<Erasure> find(String tenantId, String userId) {
        return mongo.findOne(ofUser(tenantId, userId), Erasure.class);
    }

    /**
     * Records an erasure that starts now: the entry (created under {@code newId}, or the user's existing one, the
     * unique index allowing one per user) gets the time, the actor and the sealed pending address.
     */
    Mono<Erasure> started(String tenantId, String userId, String newId, Instant at, String actor, String actorTenant,
            Sealed pendingAddress) {
        // Two erasures of one user conflict on the user document first; should the upsert lose instead, re-running
        // the unit finds the winner's entry and updates it.
        return mongo.findAndModify(ofUser(tenantId, userId), started(newId, at, actor, actorTenant, pendingAddress),
                        FindAndModifyOptions.options().upsert(true).returnNew(true), Erasure.class)
                .onErrorMap(failure -> DuplicateKeys.onIndex(failure, ErasureFields.BY_USER_INDEX),
                        lostRace -> DuplicateKeys.asTransient(lostRace, "Another erasure of this user registered first"));
    }

    /** The pass over the user's records completed: the pending address goes. */
    Mono<Void> completed(String tenantId, String userId, Instant at) {
        return mongo.updateFirst(ofUser(tenantId, userId), completed(at), Erasure.class).then();
    }

    /** Served by erasures_tenant_user_unique. */
    static Query ofUser(String tenantId, String userId) {
        return Query.query(where(ErasureFields.TENANT_ID).is(tenantId).and(ErasureFields.USER_ID).is(userId));
    }

    /** Absent, never null: the validator types every field it lists. */
    static Update started(String newId, Instant at, String actor, String actorTenant, Sealed pendingAddress) {
        Update update = new Update().setOnInsert(ErasureFields.ID, newId)
                .set(ErasureFields.AT, at)
                .set(ErasureFields.ACTOR, actor)
                .unset(ErasureFields.COMPLETED_AT);
        if (actorTenant != null) {
            update.set(ErasureFields.ACTOR_TENANT, actorTenant);
        }
        else {
            update.unset(ErasureFields.ACTOR_TENANT);
        }
        return pendingAddress != null ? update.set(ErasureFields.PENDING_ADDRESS, pendingAddress)
                : update.unset(ErasureFields.PENDING_ADDRESS);
    }

    static Update completed(Instant at) {
        return new Update().set(ErasureFields.COMPLETED_AT, at).unset(ErasureFields.PENDING_ADDRESS);
    }
}
