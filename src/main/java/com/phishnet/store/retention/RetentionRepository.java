package com.phishnet.store.retention;

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

/** Reactive access to {@code retention_policies} and {@code legal_holds}; every query names its tenant. */
@Repository
class RetentionRepository {

    private final ReactiveMongoTemplate mongo;

    RetentionRepository(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    Mono<RetentionOverride> override(String tenantId) {
        return mongo.findById(tenantId, RetentionOverride.class);
    }

    /** Replaces the tenant's overrides (an upsert on _id alone, which the server retries on a duplicate key). */
    Mono<RetentionOverride> saveOverride(RetentionOverride override) {
        return mongo.save(override);
    }

    Mono<Void> deleteOverride(String tenantId) {
        return mongo.remove(Query.query(where(RetentionFields.POLICY_TENANT_ID).is(tenantId)), RetentionOverride.class)
                .then();
    }

    Mono<LegalHold> insertHold(LegalHold hold) {
        return mongo.insert(hold);
    }

    Mono<LegalHold> hold(String tenantId, String id) {
        return mongo.findOne(inTenant(tenantId, id), LegalHold.class);
    }

    Flux<LegalHold> holds(String tenantId, LegalHoldState state, PageRequest page) {
        return mongo.find(listed(tenantId, state).skip(page.offset()).limit(page.size()), LegalHold.class);
    }

    Mono<Long> countHolds(String tenantId, LegalHoldState state) {
        return mongo.count(Query.query(holdCriteria(tenantId, state)), LegalHold.class);
    }

    /** Lifts an ACTIVE hold of the tenant; empty when there is none such (unknown, another tenant's, or lifted). */
    Mono<LegalHold> lift(String tenantId, String id, String by, String reason, Instant at) {
        return mongo.findAndModify(activeInTenant(tenantId, id), lifted(by, reason, at),
                FindAndModifyOptions.options().returnNew(true), LegalHold.class);
    }

    /** Whether an ACTIVE hold covers the user's data: one on the user, or one on the whole tenant. */
    Mono<Boolean> isHeld(String tenantId, String userId) {
        return mongo.exists(covering(tenantId, userId), LegalHold.class);
    }

    /** Every tenant's overrides; few (one per tenant that set any), read once per retention run. */
    Flux<RetentionOverride> overrides() {
        return mongo.findAll(RetentionOverride.class);
    }

    /** Every ACTIVE hold of every tenant: what a retention run must not delete. */
    Flux<LegalHold> activeHolds() {
        return mongo.find(Query.query(where(RetentionFields.HOLD_STATE).is(LegalHoldState.ACTIVE)), LegalHold.class);
    }

    static Query inTenant(String tenantId, String id) {
        return Query.query(where(RetentionFields.HOLD_ID).is(id).and(RetentionFields.HOLD_TENANT_ID).is(tenantId));
    }

    static Query activeInTenant(String tenantId, String id) {
        return Query.query(where(RetentionFields.HOLD_ID).is(id).and(RetentionFields.HOLD_TENANT_ID).is(tenantId)
                .and(RetentionFields.HOLD_STATE).is(LegalHoldState.ACTIVE));
    }

    /** Newest first (index legal_holds_tenant_state_placed when a state is given). */
    static Query listed(String tenantId, LegalHoldState state) {
        return Query.query(holdCriteria(tenantId, state))
                .with(Sort.by(Sort.Order.desc(RetentionFields.HOLD_PLACED_AT), Sort.Order.desc(RetentionFields.HOLD_ID)));
    }

    static Criteria holdCriteria(String tenantId, LegalHoldState state) {
        Criteria criteria = where(RetentionFields.HOLD_TENANT_ID).is(tenantId);
        if (state != null) {
            criteria.and(RetentionFields.HOLD_STATE).is(state);
        }
        return criteria;
    }

    static Query covering(String tenantId, String userId) {
        return Query.query(where(RetentionFields.HOLD_TENANT_ID).is(tenantId).and(RetentionFields.HOLD_STATE)
                .is(LegalHoldState.ACTIVE).orOperator(where(RetentionFields.HOLD_USER_ID).exists(false),
                        where(RetentionFields.HOLD_USER_ID).is(userId)));
    }

    static Update lifted(String by, String reason, Instant at) {
        Update update = new Update().set(RetentionFields.HOLD_STATE, LegalHoldState.LIFTED)
                .set(RetentionFields.HOLD_LIFTED_BY, by).set(RetentionFields.HOLD_LIFTED_AT, at);
        // Absent, never null: the validator types every field it lists.
        if (reason != null && !reason.isBlank()) {
            update.set(RetentionFields.HOLD_LIFT_REASON, reason);
        }
        return update;
    }
}
