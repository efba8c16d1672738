package com.phishnet.store.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.mongodb.ReadConcern;
import com.mongodb.TransactionOptions;
import com.mongodb.WriteConcern;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.support.Explain;
import com.phishnet.store.support.MigratedTemplate;
import com.phishnet.store.support.MongoTestDatabase;
import com.phishnet.store.support.MutableClock;
import com.phishnet.store.support.RequiresRealMongo;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.mongodb.ReactiveMongoTransactionManager;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The v2 chain, erasure and the retention checkpoint on a real replica set, through the service as it runs: entries
 * written by {@code record}, erased by {@code erasePersonalData}, removed by {@code removeThrough}, and the chain
 * still verified by {@code verify}; edits made to the stored documents directly are found.
 */
@RequiresRealMongo
class AuditChainIT {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private MongoTestDatabase db;
    private ReactiveMongoTemplate template;
    private MutableClock clock;
    private AuditService audit;
    private Transactions transactions;

    @BeforeEach
    void setUp() {
        db = MongoTestDatabase.create();
        template = MigratedTemplate.on(db);
        // As the service runs them: snapshot reads, majority commit.
        transactions = new Transactions(TransactionalOperator.create(new ReactiveMongoTransactionManager(
                template.getMongoDatabaseFactory(), TransactionOptions.builder().readConcern(ReadConcern.SNAPSHOT)
                        .writeConcern(WriteConcern.MAJORITY).build())));
        clock = new MutableClock(START);
        AtomicInteger ids = new AtomicInteger();
        // No change feed: these tests never follow the stream of appends.
        audit = new AuditService(new AuditRepository(template, null), transactions, clock,
                () -> "a-" + ids.incrementAndGet(), new SecureRandom());
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void newEntriesAreStoredAsV2AndVerify() {
        appendFive();

        Document stored = raw("a-1");
        assertThat(stored.getInteger("v")).isEqualTo(2);
        assertThat(stored.getString("salt")).matches("[0-9a-f]{64}");
        assertThat(stored.getString("personalDigest")).matches("[0-9a-f]{64}");
        StepVerifier.create(audit.verify("acme"))
                .assertNext(result -> assertThat(result).isEqualTo(new ChainVerification("acme", 5, true, null, null,
                        null, null)))
                .verifyComplete();
    }

    @Test
    void erasureRemovesThePersonalFieldsAndTheChainStillVerifies() {
        appendFive();

        StepVerifier.create(transactions.run("acme", () -> audit.erasePersonalData("acme", "u-1")))
                .assertNext(erasure -> assertThat(erasure).isEqualTo(new AuditErasure("acme", "u-1", 1, 0)))
                .verifyComplete();

        // u-1 acted in a-2 only; a-1 and a-3 are about u-1 but hold admin-1's ip, which stays.
        assertThat(raw("a-2")).doesNotContainKeys("ip", "userAgent", "salt").containsKeys("personalDigest", "erasedAt");
        for (String id : List.of("a-1", "a-3", "a-4")) {
            assertThat(raw(id)).containsKeys("ip", "userAgent", "salt").doesNotContainKey("erasedAt");
        }
        StepVerifier.create(audit.verify("acme")).assertNext(result -> assertThat(result.valid()).isTrue())
                .verifyComplete();
        // Again: nothing left to erase.
        StepVerifier.create(audit.erasePersonalData("acme", "u-1"))
                .assertNext(erasure -> assertThat(erasure.erasedEntries()).isZero()).verifyComplete();
    }

    @Test
    void erasureCountsTheV1EntriesItMustKeep() {
        AuditEvent event = StoredEdits.event("u-1", "u-9");
        AuditEntry v1 = StoredEdits.v1(null, event, START, "legacy-1");
        template.insert(v1).block();
        record(event);

        StepVerifier.create(audit.erasePersonalData("acme", "u-1"))
                .assertNext(erasure -> assertThat(erasure).isEqualTo(new AuditErasure("acme", "u-1", 1, 1)))
                .verifyComplete();
        assertThat(raw("legacy-1")).containsEntry("ip", "203.0.113.9");
        StepVerifier.create(audit.verify("acme")).assertNext(result -> assertThat(result.valid()).isTrue())
                .verifyComplete();
    }

    @Test
    void anIpEditedInTheDatabaseIsReported() {
        appendFive();

        Mono.from(db.database().getCollection(AuditFields.COLLECTION)
                .updateOne(Filters.eq("_id", "a-2"), Updates.set("ip", "198.51.100.66"))).block();

        StepVerifier.create(audit.verify("acme"))
                .assertNext(result -> {
                    assertThat(result.valid()).isFalse();
                    assertThat(result.firstBrokenId()).isEqualTo("a-2");
                    assertThat(result.reason()).contains("personal digest");
                })
                .verifyComplete();
    }

    @Test
    void retentionRemovesTheExpiredPrefixAndVerificationStartsFromTheCheckpoint() {
        appendFive();
        Instant cutoff = START.plusSeconds(3 * 60);
        long through = audit.expiredThrough("acme", cutoff, Set.of()).block();
        AuditEntry last = template.findById("a-" + through, AuditEntry.class).block();

        StepVerifier.create(audit.removeThrough("acme", through, last.hash(), "archive-1"))
                .expectNext(3L).verifyComplete();

        assertThat(through).isEqualTo(3);
        StepVerifier.create(audit.checkpoint("acme"))
                .assertNext(checkpoint -> assertThat(checkpoint).isEqualTo(new AuditCheckpoint("acme", 3, last.hash(),
                        clock.instant(), "archive-1")))
                .verifyComplete();
        StepVerifier.create(audit.verify("acme"))
                .assertNext(result -> assertThat(result).isEqualTo(new ChainVerification("acme", 2, true, null, null,
                        null, 3L)))
                .verifyComplete();
        // A re-run after a crash that lost the answer removes nothing more.
        StepVerifier.create(audit.removeThrough("acme", through, last.hash(), "archive-1")).expectNext(0L)
                .verifyComplete();
        // New entries still link to the kept head.
        record(StoredEdits.event("admin-1", "u-9"));
        StepVerifier.create(audit.verify("acme")).assertNext(result -> assertThat(result.entries()).isEqualTo(3))
                .verifyComplete();
    }

    @Test
    void heldUsersAndTheHeadStayAndANonMatchingArchiveRemovesNothing() {
        appendFive();
        Instant later = START.plusSeconds(3600);

        assertThat(audit.expiredThrough("acme", later, Set.of("u-2")).block()).isEqualTo(3);
        assertThat(audit.expiredThrough("acme", later, Set.of()).block()).isEqualTo(4);
        AuditEntry head = template.findById("a-5", AuditEntry.class).block();

        StepVerifier.create(audit.removeThrough("acme", 2, "0".repeat(64), "archive-1"))
                .expectError(AuditChainMismatchException.class).verify();
        StepVerifier.create(audit.removeThrough("acme", 5, head.hash(), "archive-1"))
                .expectError(AuditChainMismatchException.class).verify();
        assertThat(template.count(new org.springframework.data.mongodb.core.query.Query(), AuditEntry.class).block())
                .isEqualTo(5);
        StepVerifier.create(audit.checkpoint("acme")).verifyComplete();
    }

    @Test
    void anEntryRemovedBehindTheCheckpointsBackIsReported() {
        appendFive();
        AuditEntry second = template.findById("a-2", AuditEntry.class).block();
        audit.removeThrough("acme", 2, second.hash(), "archive-1").block();

        Mono.from(db.database().getCollection(AuditFields.COLLECTION).deleteOne(Filters.eq("_id", "a-3"))).block();

        StepVerifier.create(audit.verify("acme"))
                .assertNext(result -> {
                    assertThat(result.valid()).isFalse();
                    assertThat(result.checkpointSeq()).isEqualTo(2L);
                    assertThat(result.reason()).contains("expected sequence 3");
                })
                .verifyComplete();
    }

    @Test
    void theQueriesOfErasureAndRemovalUseIndexes() {
        appendFive();
        for (var query : List.of(AuditRepository.erasableQuery("acme", "u-1"), AuditRepository.legacyQuery("acme", "u-1"),
                AuditRepository.throughQuery("acme", 3), AuditRepository.afterQuery("acme", 3).limit(10))) {
            assertThat(Explain.stages(Explain.winningPlan(template, query, AuditEntry.class))).as(query.toString())
                    .doesNotContain("COLLSCAN");
        }
    }

    /** Five entries a minute apart: three about u-1 (as target, actor, target), one about u-2, one about u-3. */
    private void appendFive() {
        record(StoredEdits.event("admin-1", "u-1"));
        record(StoredEdits.event("u-1", "u-7"));
        record(StoredEdits.event("admin-1", "u-1"));
        record(StoredEdits.event("admin-1", "u-2"));
        record(StoredEdits.event("admin-1", "u-3"));
    }

    private void record(AuditEvent event) {
        audit.recordAlone(event).block();
        clock.advance(Duration.ofMinutes(1));
    }

    private Document raw(String id) {
        return Mono.from(db.database().getCollection(AuditFields.COLLECTION).find(Filters.eq("_id", id)).first()).block();
    }
}
