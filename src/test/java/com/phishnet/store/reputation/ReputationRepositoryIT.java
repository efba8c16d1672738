package com.phishnet.store.reputation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import com.phishnet.store.support.Explain;
import com.phishnet.store.support.MigratedTemplate;
import com.phishnet.store.support.MongoTestDatabase;
import com.phishnet.store.support.RequiresRealMongo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

/** The MongoDB side of the reputation cache on a real server. */
@RequiresRealMongo
class ReputationRepositoryIT {

    private final Instant now = Instant.parse("2026-11-23T10:00:00Z");
    private MongoTestDatabase db;
    private ReactiveMongoTemplate template;
    private ReputationRepository repository;

    @BeforeEach
    void migrate() {
        db = MongoTestDatabase.create();
        template = MigratedTemplate.on(db);
        repository = new ReputationRepository(template);
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void aSecondWriteReplacesTheFirstVerdict() {
        repository.save(entry(ReputationVerdict.CLEAN, now.plusSeconds(60))).block();
        repository.save(entry(ReputationVerdict.MALICIOUS, now.plusSeconds(60))).block();

        StepVerifier.create(repository.findValid(SubjectType.DOMAIN, "phish.example", now))
                .assertNext(found -> assertThat(found.verdict()).isEqualTo(ReputationVerdict.MALICIOUS))
                .verifyComplete();
        assertThat(template.count(new org.springframework.data.mongodb.core.query.Query(), ReputationEntry.class).block())
                .isEqualTo(1);
    }

    @Test
    void anEntryPastItsExpiryIsNotReturnedEvenBeforeTheTtlMonitorRemovesIt() {
        repository.save(entry(ReputationVerdict.MALICIOUS, now.minusSeconds(1))).block();

        StepVerifier.create(repository.findValid(SubjectType.DOMAIN, "phish.example", now)).verifyComplete();
    }

    @Test
    void lookupsUseTheSubjectIndex() {
        repository.save(entry(ReputationVerdict.CLEAN, now.plusSeconds(60))).block();

        assertThat(Explain.stages(Explain.winningPlan(template,
                ReputationRepository.validQuery(SubjectType.DOMAIN, "phish.example", now), ReputationEntry.class)))
                .doesNotContain("COLLSCAN");
    }

    private ReputationEntry entry(ReputationVerdict verdict, Instant expiresAt) {
        return new ReputationEntry(ReputationEntry.idOf(SubjectType.DOMAIN, "phish.example"), SubjectType.DOMAIN,
                "phish.example", verdict, 0.5, "feed", now, expiresAt);
    }
}
