package com.phishnet.store.credentials;

import static org.springframework.data.mongodb.core.query.Criteria.where;

import java.time.Instant;

import com.phishnet.store.platform.crypto.Sealed;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reactive access to {@code oauth_credentials}; tenant-scoped except the service-wide key rotation scan. */
@Repository
class CredentialRepository {

    private final ReactiveMongoTemplate mongo;

    CredentialRepository(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    Mono<Credential> insert(Credential credential) {
        return mongo.insert(credential);
    }

    Mono<Credential> find(String tenantId, String userId, String id) {
        return mongo.findOne(byId(tenantId, userId, id), Credential.class);
    }

    Flux<Credential> forUser(String tenantId, String userId) {
        return mongo.find(Query.query(where(CredentialFields.TENANT_ID).is(tenantId).and(CredentialFields.USER_ID).is(userId))
                .with(Sort.by(CredentialFields.PROVIDER, CredentialFields.ID)), Credential.class);
    }

    Flux<Credential> byAccount(String tenantId, String blindIndex) {
        return mongo.find(Query.query(where(CredentialFields.TENANT_ID).is(tenantId)
                .and(CredentialFields.ACCOUNT_BLIND_INDEX).is(blindIndex)), Credential.class);
    }

    /** Replaces the tokens of an active credential; empty when it is not (or no longer) active. */
    Mono<Credential> replaceTokens(String tenantId, String userId, String id, Sealed access, Sealed refresh,
            java.util.List<String> scopes, Instant expiresAt, Instant now) {
        Update update = new Update().set(CredentialFields.ACCESS_TOKEN, access).set(CredentialFields.ROTATED_AT, now);
        if (refresh != null) {
            update.set(CredentialFields.REFRESH_TOKEN, refresh);
        }
        else {
            update.unset(CredentialFields.REFRESH_TOKEN);
        }
        if (scopes != null) {
            update.set(CredentialFields.SCOPES, scopes);
        }
        if (expiresAt != null) {
            update.set(CredentialFields.EXPIRES_AT, expiresAt);
        }
        return mongo.findAndModify(active(tenantId, userId, id), update, FindAndModifyOptions.options().returnNew(true),
                Credential.class);
    }

    Mono<Credential> revoke(String tenantId, String userId, String id, Instant now) {
        return mongo.findAndModify(active(tenantId, userId, id),
                new Update().set(CredentialFields.STATUS, CredentialStatus.REVOKED).set(CredentialFields.REVOKED_AT, now),
                FindAndModifyOptions.options().returnNew(true), Credential.class);
    }

    Mono<Long> revokeAllOfUser(String tenantId, String userId, Instant now) {
        return mongo.updateMulti(Query.query(where(CredentialFields.TENANT_ID).is(tenantId)
                        .and(CredentialFields.USER_ID).is(userId).and(CredentialFields.STATUS).is(CredentialStatus.ACTIVE)),
                new Update().set(CredentialFields.STATUS, CredentialStatus.REVOKED).set(CredentialFields.REVOKED_AT, now),
                Credential.class).map(result -> result.getModifiedCount());
    }

    /** Deletes every credential of the user, active or revoked (GDPR erasure); how many. */
    Mono<Long> deleteAllOfUser(String tenantId, String userId) {
        return mongo.remove(ofUser(tenantId, userId), Credential.class).map(result -> result.getDeletedCount());
    }

    /** Served by credentials_tenant_user (V013): the unique index on active ones cannot serve revoked ones. */
    static Query ofUser(String tenantId, String userId) {
        return Query.query(where(CredentialFields.TENANT_ID).is(tenantId).and(CredentialFields.USER_ID).is(userId));
    }

    /** The next credentials, across tenants, that still hold a value sealed with another than the primary key. */
    Flux<Credential> sealedWithOtherKeys(String primaryKeyId, String afterId, int batchSize) {
        return mongo.find(notUnderPrimary(primaryKeyId, afterId).limit(batchSize), Credential.class);
    }

    /**
     * Swaps in re-sealed tokens only if the stored ones are still those that were read (no lost update). The filter
     * names the whole shard key (tenantId, userId), so on a sharded cluster the update goes to one shard.
     */
    Mono<Boolean> resealed(Credential read, Sealed access, Sealed refresh) {
        Criteria unchanged = where(CredentialFields.ID).is(read.id())
                .and(CredentialFields.TENANT_ID).is(read.tenantId())
                .and(CredentialFields.USER_ID).is(read.userId())
                .and(CredentialFields.ACCESS_TOKEN).is(read.accessToken());
        Update update = new Update().set(CredentialFields.ACCESS_TOKEN, access);
        if (refresh != null) {
            update.set(CredentialFields.REFRESH_TOKEN, refresh);
        }
        return mongo.updateFirst(Query.query(unchanged), update, Credential.class)
                .map(result -> result.getModifiedCount() == 1);
    }

    static Query notUnderPrimary(String primaryKeyId, String afterId) {
        String accessKey = CredentialFields.ACCESS_TOKEN + "." + CredentialFields.SEALED_KEY_ID;
        String refreshKey = CredentialFields.REFRESH_TOKEN + "." + CredentialFields.SEALED_KEY_ID;
        Criteria stale = new Criteria().orOperator(
                where(accessKey).ne(primaryKeyId),
                where(refreshKey).exists(true).ne(primaryKeyId));
        Criteria criteria = afterId == null ? stale
                : new Criteria().andOperator(where(CredentialFields.ID).gt(afterId), stale);
        return Query.query(criteria).with(Sort.by(Sort.Direction.ASC, CredentialFields.ID));
    }

    static Query byId(String tenantId, String userId, String id) {
        return Query.query(where(CredentialFields.TENANT_ID).is(tenantId).and(CredentialFields.USER_ID).is(userId)
                .and(CredentialFields.ID).is(id));
    }

    static Query active(String tenantId, String userId, String id) {
        return Query.query(where(CredentialFields.TENANT_ID).is(tenantId).and(CredentialFields.USER_ID).is(userId)
                .and(CredentialFields.ID).is(id).and(CredentialFields.STATUS).is(CredentialStatus.ACTIVE));
    }
}
