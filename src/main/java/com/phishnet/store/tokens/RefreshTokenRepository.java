package com.phishnet.store.tokens;

import static org.springframework.data.mongodb.core.query.Criteria.where;

import java.time.Instant;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Reactive access to {@code refresh_tokens}. */
@Repository
class RefreshTokenRepository {

    private final ReactiveMongoTemplate mongo;

    RefreshTokenRepository(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    Mono<RefreshToken> insert(RefreshToken token) {
        return mongo.insert(token);
    }

    /** A presented token is found by hash alone: its tenant is learnt from the stored record. */
    Mono<RefreshToken> byHash(String tokenHash) {
        return mongo.findOne(Query.query(where(RefreshTokenFields.TOKEN_HASH).is(tokenHash)), RefreshToken.class);
    }

    Mono<RefreshToken> find(String tenantId, String id) {
        return mongo.findOne(Query.query(where(RefreshTokenFields.TENANT_ID).is(tenantId).and(RefreshTokenFields.ID).is(id)),
                RefreshToken.class);
    }

    /** Marks an active token used; false if it was not active any more (a concurrent exchange won). */
    Mono<Boolean> markUsed(RefreshToken token, String successorId, Instant now) {
        return mongo.updateFirst(Query.query(where(RefreshTokenFields.ID).is(token.id())
                                .and(RefreshTokenFields.TENANT_ID).is(token.tenantId())
                                .and(RefreshTokenFields.STATUS).is(RefreshTokenStatus.ACTIVE)),
                        new Update().set(RefreshTokenFields.STATUS, RefreshTokenStatus.USED)
                                .set(RefreshTokenFields.USED_AT, now)
                                .set(RefreshTokenFields.REPLACED_BY, successorId),
                        RefreshToken.class)
                .map(result -> result.getModifiedCount() == 1);
    }

    Mono<Long> revoke(String tenantId, String id) {
        return revokeWhere(Query.query(where(RefreshTokenFields.TENANT_ID).is(tenantId).and(RefreshTokenFields.ID).is(id)
                .and(RefreshTokenFields.STATUS).is(RefreshTokenStatus.ACTIVE)));
    }

    /** Revokes the token only if it was issued to {@code userId}: a holder's own revoke can match nothing else. */
    Mono<Long> revokeHeldBy(String tenantId, String id, String userId) {
        return revokeWhere(Query.query(where(RefreshTokenFields.TENANT_ID).is(tenantId).and(RefreshTokenFields.ID).is(id)
                .and(RefreshTokenFields.USER_ID).is(userId).and(RefreshTokenFields.STATUS).is(RefreshTokenStatus.ACTIVE)));
    }

    Mono<Long> revokeFamily(String tenantId, String familyId) {
        return revokeWhere(Query.query(where(RefreshTokenFields.TENANT_ID).is(tenantId)
                .and(RefreshTokenFields.FAMILY_ID).is(familyId).and(RefreshTokenFields.STATUS).is(RefreshTokenStatus.ACTIVE)));
    }

    Mono<Long> revokeUser(String tenantId, String userId) {
        return revokeWhere(Query.query(where(RefreshTokenFields.TENANT_ID).is(tenantId)
                .and(RefreshTokenFields.USER_ID).is(userId).and(RefreshTokenFields.STATUS).is(RefreshTokenStatus.ACTIVE)));
    }

    /** Deletes every token of the user, whatever its status (GDPR erasure); how many. */
    Mono<Long> deleteUser(String tenantId, String userId) {
        return mongo.remove(ofUser(tenantId, userId), RefreshToken.class).map(result -> result.getDeletedCount());
    }

    /** Served by refresh_tokens_tenant_user. */
    static Query ofUser(String tenantId, String userId) {
        return Query.query(where(RefreshTokenFields.TENANT_ID).is(tenantId).and(RefreshTokenFields.USER_ID).is(userId));
    }

    Mono<Boolean> familyExists(String tenantId, String familyId) {
        return mongo.exists(Query.query(where(RefreshTokenFields.TENANT_ID).is(tenantId)
                .and(RefreshTokenFields.FAMILY_ID).is(familyId)), RefreshToken.class);
    }

    private Mono<Long> revokeWhere(Query query) {
        return mongo.updateMulti(query, new Update().set(RefreshTokenFields.STATUS, RefreshTokenStatus.REVOKED),
                RefreshToken.class).map(result -> result.getModifiedCount());
    }
}
