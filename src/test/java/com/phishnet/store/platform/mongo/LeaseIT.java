package com.phishnet.store.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.phishnet.store.platform.time.InstanceId;
import com.phishnet.store.support.MigratedTemplate;
import com.phishnet.store.support.MongoTestDatabase;
import com.phishnet.store.support.MutableClock;
import com.phishnet.store.support.RequiresRealMongo;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Two "instances" (two {@link Lease}s with their own holder ids, one clock moved by hand) on a real replica set:
 * concurrent takes leave exactly one holder, whether the lease document is new or expired, and only the holder
 * can release it.
 */
@RequiresRealMongo
class LeaseIT {

    private static final String NAME = "backup-schedule";
    private static final Duration HOLD = Duration.ofHours(2);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T01:30:00Z"));
    private MongoTestDatabase db;
    private ReactiveMongoTemplate template;
    private Lease a;
    private Lease b;

    @BeforeEach
    void setUp() {
        db = MongoTestDatabase.create();
        // Migrated, so every write below also passes the validator V010 gives 'leases'.
        template = MigratedTemplate.on(db);
        a = new Lease(template, clock, new InstanceId("host-a-aaaaaaaaaaaa"));
        b = new Lease(template, clock, new InstanceId("host-b-bbbbbbbbbbbb"));
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void fiftyConcurrentTakesOfANewLeaseByTwoInstancesLeaveExactlyOneHolder() {
        List<Boolean> taken = race();

        assertThat(taken).containsOnlyOnce(true);
        assertThat(stored().getString(LeaseFields.HOLDER)).isIn(a.holder(), b.holder());
    }

    @Test
    void fiftyConcurrentTakesOfAnExpiredLeaseAlsoLeaveExactlyOneHolder() {
        assertThat(a.tryAcquire(NAME, HOLD).block()).isTrue();
        clock.advance(HOLD);

        assertThat(race()).containsOnlyOnce(true);
    }

    @Test
    void aHeldLeaseIsRefusedUntilItExpiresAndThenTheOtherInstanceTakesIt() {
        assertThat(a.tryAcquire(NAME, HOLD).block()).isTrue();
        assertThat(b.tryAcquire(NAME, HOLD).block()).isFalse();

        clock.advance(HOLD);

        assertThat(b.tryAcquire(NAME, HOLD).block()).isTrue();
        assertThat(a.tryAcquire(NAME, HOLD).block()).isFalse();
        assertThat(stored().getString(LeaseFields.HOLDER)).isEqualTo(b.holder());
    }

    @Test
    void aReleaseByAnInstanceThatDoesNotHoldTheLeaseChangesNothing() {
        assertThat(a.tryAcquire(NAME, HOLD).block()).isTrue();
        Document before = stored();

        b.release(NAME).block();

        assertThat(stored()).isEqualTo(before);
        assertThat(b.tryAcquire(NAME, HOLD).block()).isFalse();
    }

    @Test
    void aReleaseByTheHolderLetsTheOtherInstanceTakeItAtOnce() {
        assertThat(a.tryAcquire(NAME, HOLD).block()).isTrue();

        a.release(NAME).block();

        assertThat(b.tryAcquire(NAME, HOLD).block()).isTrue();
    }

    /** 50 takes at once, alternating between the two instances. */
    private List<Boolean> race() {
        List<Lease> instances = List.of(a, b);
        return Flux.range(0, 50)
                .flatMap(i -> instances.get(i % 2).tryAcquire(NAME, HOLD).subscribeOn(Schedulers.parallel()), 50)
                .collectList()
                .block(Duration.ofSeconds(60));
    }

    private Document stored() {
        return template.findOne(Query.query(Criteria.where(LeaseFields.ID).is(NAME)), Document.class,
                LeaseFields.COLLECTION).block();
    }
}
