package com.phishnet.store.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.phishnet.store.support.Explain;
import com.phishnet.store.support.MigratedTemplate;
import com.phishnet.store.support.MongoTestDatabase;
import com.phishnet.store.support.RequiresRealMongo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;

/** Every audit query the service issues is served by an index on a real server. */
@RequiresRealMongo
class AuditQueriesIT {

    private MongoTestDatabase db;
    private ReactiveMongoTemplate template;

    @BeforeEach
    void migrate() {
        db = MongoTestDatabase.create();
        template = MigratedTemplate.on(db);
        AuditEvent event = new AuditEvent("acme", AuditEventType.SCAN_INGESTED, "scanner", "scan_results", "s-1",
                AuditOutcome.SUCCESS, "ip", "ua", "r", Map.of());
        AuditEntry first = AuditChain.next(null, event, Instant.now(), "a-1", StoredEdits.SALT);
        template.insert(first).then(template.insert(AuditChain.next(first, event, Instant.now(), "a-2", StoredEdits.SALT))).block();
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void auditQueriesUseIndexes() {
        Instant now = Instant.now();
        List<Query> queries = List.of(
                AuditRepository.lastQuery("acme"),
                AuditRepository.filterQuery("acme", new AuditFilter(null, null, null, null, null))
                        .with(Sort.by(Sort.Direction.DESC, AuditFields.AT, AuditFields.ID)).limit(50),
                AuditRepository.filterQuery("acme", new AuditFilter(AuditEventType.SCAN_INGESTED, null, null, null, null))
                        .with(Sort.by(Sort.Direction.DESC, AuditFields.AT, AuditFields.ID)).limit(50),
                AuditRepository.filterQuery("acme", new AuditFilter(null, "scanner", null, now.minusSeconds(60), now))
                        .with(Sort.by(Sort.Direction.DESC, AuditFields.AT, AuditFields.ID)).limit(50),
                Query.query(org.springframework.data.mongodb.core.query.Criteria.where(AuditFields.TENANT_ID).is("acme"))
                        .with(Sort.by(AuditFields.SEQUENCE)));

        queries.forEach(query -> assertThat(Explain.stages(Explain.winningPlan(template, query, AuditEntry.class)))
                .as(query.toString()).doesNotContain("COLLSCAN"));
    }
}
