package com.phishnet.store.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.mongodb.MongoWriteException;
import com.phishnet.store.support.MongoTestDatabase;
import com.phishnet.store.support.RequiresRealMongo;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** V007 on a real replica set: jobs written before it are upgraded, and the server enforces one running rotation. */
@RequiresRealMongo
class V007JobScopesIT {

    private static final Date EARLIER = Date.from(Instant.parse("2026-11-20T10:00:00Z"));
    private static final Date LATER = Date.from(Instant.parse("2026-11-21T10:00:00Z"));

    private MongoTestDatabase db;

    @BeforeEach
    void create() {
        db = MongoTestDatabase.create();
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void jobsWrittenBeforeScopesBecomeServiceJobsAndOnlyTheNewestRunningOneKeepsRunning() {
        new V003_CreateJobs().createJobs(db.database());
        insert(legacy("old-run", "RUNNING", EARLIER), legacy("new-run", "RUNNING", LATER), legacy("done", "COMPLETED", EARLIER));

        new V007_JobScopes().apply(db.database(), Clock.systemUTC());

        Map<String, Document> jobs = Flux.from(db.database().getCollection("jobs").find()).collectList().block().stream()
                .collect(Collectors.toMap(job -> job.getString("_id"), Function.identity()));
        assertThat(jobs.values()).allSatisfy(job -> {
            assertThat(job.getString("scope")).isEqualTo("SERVICE");
            assertThat(job).doesNotContainKey("tenantId");
            assertThat(job.getString("requestedByTenant")).isEqualTo("acme");
        });
        assertThat(jobs.get("new-run").getString("state")).isEqualTo("RUNNING");
        assertThat(jobs.get("old-run").getString("state")).isEqualTo("FAILED");
        assertThat(jobs.get("done").getString("state")).isEqualTo("COMPLETED");
    }

    @Test
    void theServerRefusesASecondRunningServiceJobOfTheSameType() {
        MigrationRunner.migrate(db.client(), db.name(), Clock.systemUTC());
        insert(service("first", "RUNNING"));

        assertThatThrownBy(() -> insert(service("second", "RUNNING")))
                .isInstanceOfSatisfying(MongoWriteException.class, refused -> assertThat(refused.getCode()).isEqualTo(11000));
    }

    @Test
    void finishedServiceJobsOfOneTypeMayBeMany() {
        MigrationRunner.migrate(db.client(), db.name(), Clock.systemUTC());

        insert(service("a", "COMPLETED"), service("b", "FAILED"), service("c", "RUNNING"));

        assertThat(Mono.from(db.database().getCollection("jobs").countDocuments()).block()).isEqualTo(3);
    }

    @Test
    void aServiceJobWithATenantIsRejected() {
        MigrationRunner.migrate(db.client(), db.name(), Clock.systemUTC());

        assertRejected(service("x", "COMPLETED").append("tenantId", "acme"));
    }

    @Test
    void aTenantJobWithoutATenantIsRejected() {
        MigrationRunner.migrate(db.client(), db.name(), Clock.systemUTC());

        assertRejected(service("x", "COMPLETED").append("scope", "TENANT"));
    }

    @Test
    void aJobWithoutScopeIsRejected() {
        MigrationRunner.migrate(db.client(), db.name(), Clock.systemUTC());
        Document unscoped = service("x", "COMPLETED");
        unscoped.remove("scope");

        assertRejected(unscoped);
    }

    private void assertRejected(Document job) {
        assertThatThrownBy(() -> insert(job))
                .isInstanceOfSatisfying(MongoWriteException.class, refused -> assertThat(refused.getCode()).isEqualTo(121));
    }

    private static Document legacy(String id, String state, Date updatedAt) {
        return new Document("_id", id).append("type", "KEY_ROTATION").append("state", state)
                .append("requestedBy", "admin-1").append("tenantId", "acme").append("startedAt", updatedAt)
                .append("updatedAt", updatedAt).append("processed", 0L).append("changed", 0L);
    }

    private static Document service(String id, String state) {
        return new Document("_id", id).append("type", "KEY_ROTATION").append("scope", "SERVICE").append("state", state)
                .append("requestedBy", "ops-1").append("requestedByTenant", "ops").append("startedAt", LATER)
                .append("updatedAt", LATER).append("processed", 0L).append("changed", 0L);
    }

    private void insert(Document... jobs) {
        for (Document job : jobs) {
            Mono.from(db.database().getCollection("jobs").insertOne(job)).block();
        }
    }

}
