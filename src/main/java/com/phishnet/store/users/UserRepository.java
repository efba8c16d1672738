package com.phishnet.store.users;

import static org.springframework.data.mongodb.core.query.Criteria.where;

import java.time.Instant;

import com.phishnet.store.platform.security.Access.Role;
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

/** Reactive access to {@code users}. Every query starts with the tenant: no method can reach another tenant. */
@Repository
class UserRepository {

    private final ReactiveMongoTemplate mongo;

    UserRepository(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    Mono<User> insert(User user) {
        return mongo.insert(user);
    }

    Mono<User> find(String tenantId, String id) {
        return mongo.findOne(byId(tenantId, id), User.class);
    }

    /** The user an earlier request with this Idempotency-Key created, if any. */
    Mono<User> findByIdempotencyKey(String tenantId, String key) {
        return mongo.findOne(Query.query(where(UserFields.TENANT_ID).is(tenantId).and(UserFields.IDEMPOTENCY_KEY).is(key)),
                User.class);
    }

    Flux<User> page(String tenantId, Role role, UserStatus status, PageRequest page) {
        return mongo.find(filter(tenantId, role, status)
                .with(Sort.by(Sort.Direction.DESC, UserFields.CREATED_AT, UserFields.ID))
                .skip(page.offset())
                .limit(page.size()), User.class);
    }

    Mono<Long> count(String tenantId, Role role, UserStatus status) {
        return mongo.count(filter(tenantId, role, status), User.class);
    }

    /**
     * Applies the changes and returns the user as it is afterwards; empty if no such user in the tenant, or if the
     * user is ERASED (an erased user is never changed again).
     */
    Mono<User> update(String tenantId, String id, Update changes) {
        return mongo.findAndModify(notErased(tenantId, id), changes, FindAndModifyOptions.options().returnNew(true),
                User.class);
    }

    /** Replaces the user's personal data by the pseudonym and marks them ERASED; the user as it was before. */
    Mono<User> erase(String tenantId, String id, String pseudonym, Instant now) {
        return mongo.findAndModify(notErased(tenantId, id), erased(pseudonym, now), User.class);
    }

    /** Bumps the version of an active user; false when there is no such active user. */
    Mono<Boolean> touchActive(String tenantId, String id) {
        return mongo.updateFirst(Query.query(where(UserFields.TENANT_ID).is(tenantId).and(UserFields.ID).is(id)
                        .and(UserFields.STATUS).is(UserStatus.ACTIVE)), new Update().inc(UserFields.VERSION, 1), User.class)
                .map(result -> result.getMatchedCount() == 1);
    }

    /** Counts a scan; false when the user does not exist in the tenant or is ERASED. */
    Mono<Boolean> countScan(String tenantId, String id, VerdictCounter counter, Instant scannedAt) {
        return mongo.updateFirst(notErased(tenantId, id), scanCounted(counter, scannedAt), User.class)
                .map(result -> result.getMatchedCount() == 1);
    }

    /** Moves one scan from one verdict counter to another (analyst feedback). */
    Mono<Boolean> moveScan(String tenantId, String id, VerdictCounter from, VerdictCounter to) {
        return mongo.updateFirst(byId(tenantId, id), verdictMoved(from, to), User.class)
                .map(result -> result.getMatchedCount() == 1);
    }

    static Update scanCounted(VerdictCounter counter, Instant scannedAt) {
        return new Update()
                .inc(UserFields.STATS + ".total", 1)
                .inc(UserFields.STATS + "." + counter.field(), 1)
                .max(UserFields.STATS + ".lastScanAt", scannedAt);
    }

    static Update verdictMoved(VerdictCounter from, VerdictCounter to) {
        return new Update().inc(UserFields.STATS + "." + from.field(), -1).inc(UserFields.STATS + "." + to.field(), 1);
    }

    static Update changes(Role role, UserStatus status, String displayName, Instant now) {
        Update update = new Update().set(UserFields.UPDATED_AT, now);
        if (role != null) {
            update.set(UserFields.ROLE, role);
        }
        if (status != null) {
            update.set(UserFields.STATUS, status);
        }
        if (displayName != null) {
            update.set(UserFields.DISPLAY_NAME, displayName);
        }
        return update;
    }

    /**
     * Email and its normalised form become the pseudonym; the display name, and the creating request's key and
     * keyed fingerprint (derived from the email, name and credentials), are removed, never stored as null.
     */
    static Update erased(String pseudonym, Instant now) {
        return new Update()
                .set(UserFields.EMAIL, pseudonym)
                .set(UserFields.EMAIL_NORMALIZED, pseudonym)
                .set(UserFields.STATUS, UserStatus.ERASED)
                .set(UserFields.ERASED_AT, now)
                .set(UserFields.UPDATED_AT, now)
                .unset(UserFields.DISPLAY_NAME)
                .unset(UserFields.IDEMPOTENCY_KEY)
                .unset(UserFields.REQUEST_HASH)
                .inc(UserFields.VERSION, 1);
    }

    static Query notErased(String tenantId, String id) {
        return Query.query(where(UserFields.TENANT_ID).is(tenantId).and(UserFields.ID).is(id)
                .and(UserFields.STATUS).ne(UserStatus.ERASED));
    }

    static Query byId(String tenantId, String id) {
        return Query.query(where(UserFields.TENANT_ID).is(tenantId).and(UserFields.ID).is(id));
    }

    static Query filter(String tenantId, Role role, UserStatus status) {
        Criteria criteria = where(UserFields.TENANT_ID).is(tenantId);
        if (role != null) {
            criteria.and(UserFields.ROLE).is(role);
        }
        if (status != null) {
            criteria.and(UserFields.STATUS).is(status);
        }
        return Query.query(criteria);
    }
}
