package com.phishnet.store.platform.mongo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.result.UpdateResult;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.phishnet.store.platform.time.InstanceId;
import org.bson.Document;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Named leases in MongoDB, for work that one instance of the service does at a time (the scheduled backup, the
 * retention run): the instance that takes a lease holds it until it expires or it releases it. One document per
 * lease in {@code leases} (see {@link LeaseFields}); taking it is a single conditional upsert.
 * <p>
 * Why two instances taking the same lease at once end with exactly one holder:
 * <ul>
 * <li>No document yet: neither filter matches, both upserts insert {@code _id: name}; the {@code _id} index admits
 * one insert and fails the other with duplicate key (E11000).</li>
 * <li>The lease has expired: both filters match the same document, one update commits, the other hits a write
 * conflict and the server re-evaluates its filter against the updated document. {@code lockedUntil} is now in the
 * future, so it no longer matches, turns into an insert and fails with E11000.</li>
 * <li>The lease is held: the filter does not match, the insert fails with E11000.</li>
 * </ul>
 * The server retries an upsert's duplicate key itself, making the loser an update of the winner's document, only
 * when the filter is equality predicates on exactly the unique index's fields and the update leaves those fields
 * alone (MongoDB manual, "Upsert with Duplicate Values" of updateOne and findAndModify; SERVER-37124, 4.2+, and
 * SERVER-47212 for findAndModify). {@code {_id: name, lockedUntil: {$lte: now}}} has a range predicate on a field
 * outside the {@code _id} index, so the duplicate key is not retried: it reaches here and means "held elsewhere".
 * A lost reply, by contrast, is retried by the driver (retryable writes, see {@link MongoClientConfig}) and the
 * server answers with the first attempt's result, so a lease taken is not reported as refused.
 * <p>
 * Expiry is judged by the taker's clock, so clocks may differ between instances by less than the hold and no more.
 * A lease is not re-entrant: its holder taking it again before it expires is refused like anyone else.
 */
@Component
public class Lease {

    /** The index a refused take collides on. */
    static final String ID_INDEX = "_id_";

    private static final UpdateOptions UPSERT = new UpdateOptions().upsert(true);

    private final ReactiveMongoTemplate mongo;
    private final Clock clock;
    private final String holder;

    public Lease(ReactiveMongoTemplate mongo, Clock clock, InstanceId instance) {
        this.mongo = mongo;
        this.clock = clock;
        this.holder = requireLength("holder", instance.value(), LeaseFields.HOLDER_MIN_LENGTH,
                LeaseFields.HOLDER_MAX_LENGTH);
    }

    /** Who this instance is in {@code holder}. */
    public String holder() {
        return holder;
    }

    /**
     * Takes the lease for {@code hold} when it is free or has expired: true when this instance now holds it, false
     * when another holder (or this one, from an earlier take) still does.
     */
    public Mono<Boolean> tryAcquire(String name, Duration hold) {
        requireName(name);
        if (hold == null || hold.isNegative() || hold.isZero()) {
            throw new IllegalArgumentException("a lease is held for a positive duration, not " + hold);
        }
        return Mono.defer(() -> {
            Instant now = clock.instant();
            return leases()
                    .flatMap(leases -> Mono.from(leases.updateOne(acquireFilter(name, now),
                            acquireUpdate(holder, now, hold), UPSERT)))
                    .map(Lease::tookIt)
                    .onErrorResume(failure -> DuplicateKeys.onIndex(failure, ID_INDEX), held -> Mono.just(false));
        });
    }

    /**
     * Ends this instance's hold now, so the next taker need not wait for it to expire. Changes nothing when another
     * instance holds the lease or this instance's hold has already expired.
     */
    public Mono<Void> release(String name) {
        requireName(name);
        return Mono.defer(() -> {
            Instant now = clock.instant();
            return leases()
                    .flatMap(leases -> Mono.from(leases.updateOne(releaseFilter(name, holder, now), releaseUpdate(now))))
                    .then();
        });
    }

    /** Free (never taken, released, or expired) as of {@code now}. */
    public static Document acquireFilter(String name, Instant now) {
        return new Document(LeaseFields.ID, name)
                .append(LeaseFields.LOCKED_UNTIL, new Document("$lte", Date.from(now)));
    }

    public static Document acquireUpdate(String holder, Instant now, Duration hold) {
        return new Document("$set", new Document(LeaseFields.HOLDER, holder)
                .append(LeaseFields.LOCKED_AT, Date.from(now))
                .append(LeaseFields.LOCKED_UNTIL, Date.from(now.plus(hold))));
    }

    /** Held by {@code holder} and not yet expired: an expired hold is left as it is. */
    public static Document releaseFilter(String name, String holder, Instant now) {
        return new Document(LeaseFields.ID, name)
                .append(LeaseFields.HOLDER, holder)
                .append(LeaseFields.LOCKED_UNTIL, new Document("$gt", Date.from(now)));
    }

    public static Document releaseUpdate(Instant now) {
        return new Document("$set", new Document(LeaseFields.LOCKED_UNTIL, Date.from(now)));
    }

    /** An upsert either updates the free lease or inserts it; anything else did not take it. */
    private static boolean tookIt(UpdateResult result) {
        return result.getMatchedCount() == 1 || result.getUpsertedId() != null;
    }

    private Mono<MongoCollection<Document>> leases() {
        return mongo.getCollection(LeaseFields.COLLECTION);
    }

    private static void requireName(String name) {
        requireLength("lease name", name, LeaseFields.NAME_MIN_LENGTH, LeaseFields.NAME_MAX_LENGTH);
    }

    private static String requireLength(String what, String value, int min, int max) {
        if (value == null || value.length() < min || value.length() > max) {
            throw new IllegalArgumentException("a " + what + " has " + min + ".." + max + " characters: " + value);
        }
        return value;
    }
}
