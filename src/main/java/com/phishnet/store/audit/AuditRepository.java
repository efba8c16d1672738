package com.phishnet.store.audit;

import static org.springframework.data.mongodb.core.query.Criteria.where;

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

    AuditRepository(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** The head of a tenant's chain, read through the (tenantId, seq) unique index. */
    Mono<AuditEntry> last(String tenantId) {
        return mongo.findOne(lastQuery(tenantId), AuditEntry.class);
    }

    Mono<AuditEntry> insert(AuditEntry entry) {
        return mongo.insert(entry);
    }

    Flux<AuditEntry> chain(String tenantId) {
        return mongo.find(Query.query(where(AuditFields.TENANT_ID).is(tenantId))
                .with(Sort.by(Sort.Direction.ASC, AuditFields.SEQUENCE)), AuditEntry.class);
    }

    Flux<AuditEntry> forTarget(String tenantId, String targetId) {
        return mongo.find(Query.query(where(AuditFields.TENANT_ID).is(tenantId).and(AuditFields.TARGET_ID).is(targetId))
                .with(Sort.by(Sort.Direction.ASC, AuditFields.SEQUENCE)), AuditEntry.class);
    }

    static Query lastQuery(String tenantId) {
        return Query.query(where(AuditFields.TENANT_ID).is(tenantId))
                .with(Sort.by(Sort.Direction.DESC, AuditFields.SEQUENCE))
                .limit(1);
    }
}
