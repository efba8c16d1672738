package com.phishnet.store.reputation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import com.phishnet.store.support.Explain;
import com.phishnet.store.support.MigratedTemplate;
import com.phishnet.store.support.MongoTestDatabase;
import com.phishnet.store.support.RequiresRealMongo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;

/**
 * The MongoDB side of reputation on a real server. Times are relative to the wall clock, with every stored
 * expiry in the future, so the server's TTL monitor never removes an entry while a test runs; "expired" is
 * tested by asking with a later {@code now}, as the service's clock would.
 */
@RequiresRealMongo
class ReputationRepositoryIT {

    private static final String PHISH = "phish.example";

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
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
        repository.save(global(SubjectType.DOMAIN, PHISH, ReputationVerdict.CLEAN)).block();
        repository.save(global(SubjectType.DOMAIN, PHISH, ReputationVerdict.MALICIOUS)).block();

        StepVerifier.create(repository.findValid(ReputationOwner.GLOBAL, SubjectType.DOMAIN, PHISH, now))
                .assertNext(found -> assertThat(found.verdict()).isEqualTo(ReputationVerdict.MALICIOUS))
                .verifyComplete();
        assertThat(count()).isEqualTo(1);
    }

    @Test
    void anEntryPastItsExpiryIsNotReturnedEvenBeforeTheTtlMonitorRemovesIt() {
        repository.save(global(SubjectType.DOMAIN, PHISH, ReputationVerdict.MALICIOUS)).block();

        StepVerifier.create(repository.findValid(ReputationOwner.GLOBAL, SubjectType.DOMAIN, PHISH,
                now.plus(Duration.ofHours(1)).plusMillis(1))).verifyComplete();
    }

    @Test
    void aUrlOfTheLongestAcceptedLengthIsStored() {
        String url = longUrl();

        StepVerifier.create(repository.save(global(SubjectType.URL, url, ReputationVerdict.MALICIOUS)))
                .assertNext(saved -> assertThat(saved.subject()).hasSize(ReputationFields.SUBJECT_MAX))
                .verifyComplete();
    }

    @Test
    void racingWritesOfOneLongUrlAllSucceedAndLeaveOneEntry() {
        String url = longUrl();

        List<ReputationEntry> saved = Flux.range(0, 16)
                .flatMap(i -> repository.save(global(SubjectType.URL, url, i % 2 == 0 ? ReputationVerdict.MALICIOUS
                        : ReputationVerdict.SUSPICIOUS)), 16)
                .collectList().block(Duration.ofSeconds(30));

        assertThat(saved).hasSize(16);
        assertThat(count()).isEqualTo(1);
    }

    @Test
    void aTenantsOverrideIsInvisibleToOtherTenantsAndLeavesTheGlobalVerdict() {
        repository.save(global(SubjectType.DOMAIN, PHISH, ReputationVerdict.MALICIOUS)).block();
        repository.save(ReputationEntry.of(ReputationOwner.tenant("acme"), SubjectType.DOMAIN, PHISH,
                ReputationVerdict.CLEAN, 0.1, "analyst", now, now.plus(Duration.ofHours(1)))).block();

        StepVerifier.create(repository.findValid(ReputationOwner.tenant("acme"), SubjectType.DOMAIN, PHISH, now))
                .assertNext(found -> assertThat(found.verdict()).isEqualTo(ReputationVerdict.CLEAN))
                .verifyComplete();
        StepVerifier.create(repository.findValid(ReputationOwner.tenant("globex"), SubjectType.DOMAIN, PHISH, now))
                .verifyComplete();
        StepVerifier.create(repository.findValid(ReputationOwner.GLOBAL, SubjectType.DOMAIN, PHISH, now))
                .assertNext(found -> assertThat(found.verdict()).isEqualTo(ReputationVerdict.MALICIOUS))
                .verifyComplete();
        assertThat(count()).isEqualTo(2);
    }

    @Test
    void overrideLookupsUseTheTenantFirstIndex() {
        repository.save(ReputationEntry.of(ReputationOwner.tenant("acme"), SubjectType.DOMAIN, PHISH,
                ReputationVerdict.CLEAN, 0.1, "analyst", now, now.plus(Duration.ofHours(1)))).block();

        assertThat(Explain.winningPlan(template, ReputationRepository.validQuery(ReputationOwner.tenant("acme"),
                SubjectType.DOMAIN, PHISH, now), ReputationEntry.class).toJson())
                .contains("reputation_tenant_subject").doesNotContain("COLLSCAN");
    }

    @Test
    void globalLookupsUseTheIdIndex() {
        repository.save(global(SubjectType.DOMAIN, PHISH, ReputationVerdict.CLEAN)).block();

        assertThat(Explain.stages(Explain.winningPlan(template,
                ReputationRepository.validQuery(ReputationOwner.GLOBAL, SubjectType.DOMAIN, PHISH, now),
                ReputationEntry.class))).doesNotContain("COLLSCAN");
    }

    private long count() {
        return template.count(new Query(), ReputationEntry.class).block();
    }

    private ReputationEntry global(SubjectType type, String subject, ReputationVerdict verdict) {
        return ReputationEntry.of(ReputationOwner.GLOBAL, type, subject, verdict, 0.5, "feed", now,
                now.plus(Duration.ofHours(1)));
    }

    /** A URL as long as the API accepts (2,048 characters), normalised as the service stores it. */
    static String longUrl() {
        String prefix = "https://phish.example/login?next=";
        return SubjectType.URL.normalize(prefix + "a".repeat(ReputationFields.SUBJECT_MAX - prefix.length()));
    }
}
