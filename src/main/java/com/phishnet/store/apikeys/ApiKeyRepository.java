package com.phishnet.store.apikeys;

import static org.springframework.data.mongodb.core.query.Criteria.where;

import java.time.Instant;
import java.util.Collection;

import com.mongodb.ReadPreference;
import com.phishnet.store.platform.web.CursorCodec.Position;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.BulkOperations.BulkMode;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reactive access to {@code api_keys}; every query of a tenant's keys names the tenant. */
@Repository
class ApiKeyRepository {

    private final ReactiveMongoTemplate mongo;

    ApiKeyRepository(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    Mono<ApiKey> insert(ApiKey key) {
        return mongo.insert(key);
    }

    Mono<ApiKey> find(String tenantId, String id) {
        return mongo.findOne(byId(tenantId, id), ApiKey.class);
    }

    /**
     * The key with this prefix, of any tenant (the prefix is what the client presents): one read on the unique
     * prefix index, from the primary, so a revocation committed a moment ago is seen by the very next request.
     */
    Mono<ApiKey> byPrefix(String prefix) {
        return mongo.findOne(byPrefixQuery(prefix), ApiKey.class);
    }

    Flux<ApiKey> page(String tenantId, Position after, long skip, int limit) {
        return mongo.find(pageQuery(tenantId, after, skip, limit), ApiKey.class);
    }

    Mono<Long> count(String tenantId) {
        return mongo.count(Query.query(where(ApiKeyFields.TENANT_ID).is(tenantId)), ApiKey.class);
    }

    /** Revokes the key unless it is revoked already: 1 when this call revoked it, 0 otherwise. */
    Mono<Long> revoke(String tenantId, String id, String by, Instant at) {
        return mongo.updateFirst(revocable(tenantId, id), revocation(by, at), ApiKey.class)
                .map(result -> result.getModifiedCount());
    }

    /**
     * Links the old key to its successor and ends it at {@code retiresAt}, only while it is neither revoked nor
     * rotated already: 1 when this call did it, 0 when another got there first.
     */
    Mono<Long> retire(String tenantId, String id, String successorId, Instant retiresAt) {
        return mongo.updateFirst(rotatable(tenantId, id), retirement(successorId, retiresAt), ApiKey.class)
                .map(result -> result.getModifiedCount());
    }

    /** One unordered bulk of {@code $max} updates, one per key used since the last flush: how many it matched. */
    Mono<Integer> recordUses(Collection<ApiKeyUses.Use> uses) {
        if (uses.isEmpty()) {
            return Mono.just(0);
        }
        var bulk = mongo.bulkOps(BulkMode.UNORDERED, ApiKey.class);
        uses.forEach(use -> bulk.updateOne(usedKey(use.tenantId(), use.keyId()), usedAt(use.at())));
        return bulk.execute().map(result -> result.getMatchedCount());
    }

    static Query byId(String tenantId, String id) {
        return Query.query(where(ApiKeyFields.ID).is(id).and(ApiKeyFields.TENANT_ID).is(tenantId));
    }

    static Query byPrefixQuery(String prefix) {
        Query query = Query.query(where(ApiKeyFields.PREFIX).is(prefix));
        query.withReadPreference(ReadPreference.primary());
        return query;
    }

    /** Newest first by (createdAt, _id): served by the (tenantId, createdAt desc, _id desc) index, never a sort. */
    static Query pageQuery(String tenantId, Position after, long skip, int limit) {
        Query query = Query.query(where(ApiKeyFields.TENANT_ID).is(tenantId));
        if (after != null) {
            query.addCriteria(new Criteria().orOperator(
                    where(ApiKeyFields.CREATED_AT).lt(after.at()),
                    new Criteria().andOperator(where(ApiKeyFields.CREATED_AT).is(after.at()),
                            where(ApiKeyFields.ID).lt(after.id()))));
        }
        else if (skip > 0) {
            query.skip(skip);
        }
        return query.with(Sort.by(Sort.Order.desc(ApiKeyFields.CREATED_AT), Sort.Order.desc(ApiKeyFields.ID)))
                .limit(limit);
    }

    static Query revocable(String tenantId, String id) {
        return byId(tenantId, id).addCriteria(where(ApiKeyFields.REVOKED_AT).exists(false));
    }

    static Update revocation(String by, Instant at) {
        return new Update().set(ApiKeyFields.REVOKED_AT, at).set(ApiKeyFields.REVOKED_BY, by);
    }

    static Query rotatable(String tenantId, String id) {
        return byId(tenantId, id).addCriteria(where(ApiKeyFields.REVOKED_AT).exists(false))
                .addCriteria(where(ApiKeyFields.ROTATED_TO).exists(false));
    }

    static Update retirement(String successorId, Instant retiresAt) {
        return new Update().set(ApiKeyFields.ROTATED_TO, successorId).set(ApiKeyFields.EXPIRES_AT, retiresAt);
    }

    /** Tenant and id: the tenant makes the update target one shard under a tenant-first shard key. */
    static Query usedKey(String tenantId, String keyId) {
        return byId(tenantId, keyId);
    }

    /** Never moves the time back: a flush from an instance with older uses, or a late one, changes nothing. */
    static Update usedAt(Instant at) {
        return new Update().max(ApiKeyFields.LAST_USED_AT, at);
    }
}
