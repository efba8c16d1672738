package com.phishnet.store.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import com.mongodb.MongoWriteException;
import com.mongodb.ServerAddress;
import com.mongodb.WriteError;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.result.UpdateResult;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.phishnet.store.platform.time.InstanceId;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class LeaseTest {

    private static final Instant NOW = Instant.parse("2026-03-01T01:30:00.123456Z");
    private static final Duration HOLD = Duration.ofHours(2);

    private final ReactiveMongoTemplate mongo = mock(ReactiveMongoTemplate.class);
    @SuppressWarnings("unchecked")
    private final MongoCollection<Document> leases = mock(MongoCollection.class);
    private final Lease lease = new Lease(mongo, Clock.fixed(NOW, ZoneOffset.UTC), new InstanceId("host-a-0123456789ab"));

    @BeforeEach
    void leasesCollection() {
        when(mongo.getCollection(LeaseFields.COLLECTION)).thenReturn(Mono.just(leases));
    }

    @Test
    void aTakeMatchesOnlyAFreeOrExpiredLeaseByName() {
        assertThat(Lease.acquireFilter("backup-schedule", NOW).toJson()).isEqualTo(
                "{\"_id\": \"backup-schedule\", \"lockedUntil\": {\"$lte\": {\"$date\": \"2026-03-01T01:30:00.123Z\"}}}");
    }

    @Test
    void aTakeRecordsTheHolderAndHoldsFromNowForTheDuration() {
        assertThat(Lease.acquireUpdate("host-a-0123456789ab", NOW, HOLD).toJson()).isEqualTo(
                "{\"$set\": {\"holder\": \"host-a-0123456789ab\", \"lockedAt\": {\"$date\": \"2026-03-01T01:30:00.123Z\"},"
                        + " \"lockedUntil\": {\"$date\": \"2026-03-01T03:30:00.123Z\"}}}");
    }

    @Test
    void aReleaseMatchesOnlyThisHoldersUnexpiredLease() {
        assertThat(Lease.releaseFilter("backup-schedule", "host-a-0123456789ab", NOW).toJson()).isEqualTo(
                "{\"_id\": \"backup-schedule\", \"holder\": \"host-a-0123456789ab\","
                        + " \"lockedUntil\": {\"$gt\": {\"$date\": \"2026-03-01T01:30:00.123Z\"}}}");
        assertThat(Lease.releaseUpdate(NOW).toJson())
                .isEqualTo("{\"$set\": {\"lockedUntil\": {\"$date\": \"2026-03-01T01:30:00.123Z\"}}}");
    }

    @Test
    void aTakeIsOneUpsertWithThisInstanceAsHolderAndTheClocksTime() {
        when(leases.updateOne(any(Bson.class), any(Bson.class), any(UpdateOptions.class)))
                .thenReturn(Mono.just(UpdateResult.acknowledged(0, 0L, new BsonString("backup-schedule"))));

        StepVerifier.create(lease.tryAcquire("backup-schedule", HOLD)).expectNext(true).verifyComplete();

        ArgumentCaptor<Bson> filter = ArgumentCaptor.forClass(Bson.class);
        ArgumentCaptor<Bson> update = ArgumentCaptor.forClass(Bson.class);
        ArgumentCaptor<UpdateOptions> options = ArgumentCaptor.forClass(UpdateOptions.class);
        verify(leases).updateOne(filter.capture(), update.capture(), options.capture());
        assertThat(filter.getValue()).isEqualTo(Lease.acquireFilter("backup-schedule", NOW));
        assertThat(update.getValue()).isEqualTo(Lease.acquireUpdate("host-a-0123456789ab", NOW, HOLD));
        assertThat(options.getValue().isUpsert()).isTrue();
    }

    @Test
    void takingAnExpiredLeaseUpdatesItsDocument() {
        when(leases.updateOne(any(Bson.class), any(Bson.class), any(UpdateOptions.class)))
                .thenReturn(Mono.just(UpdateResult.acknowledged(1, 1L, null)));

        StepVerifier.create(lease.tryAcquire("backup-schedule", HOLD)).expectNext(true).verifyComplete();
    }

    @Test
    void aDuplicateKeyOnTheIdMeansTheLeaseIsHeld() {
        when(leases.updateOne(any(Bson.class), any(Bson.class), any(UpdateOptions.class))).thenReturn(Mono.error(
                writeError(11000, "E11000 duplicate key error collection: phishnet.leases index: _id_ dup key:"
                        + " { _id: \"backup-schedule\" }")));

        StepVerifier.create(lease.tryAcquire("backup-schedule", HOLD)).expectNext(false).verifyComplete();
    }

    @Test
    void anyOtherFailureIsNotMistakenForAHeldLease() {
        when(leases.updateOne(any(Bson.class), any(Bson.class), any(UpdateOptions.class)))
                .thenReturn(Mono.error(writeError(121, "Document failed validation")));

        StepVerifier.create(lease.tryAcquire("backup-schedule", HOLD))
                .expectErrorSatisfies(failure -> assertThat(failure).isInstanceOf(MongoWriteException.class))
                .verify();
    }

    @Test
    void aNameOrHoldTheCollectionWouldRejectFailsInTheCaller() {
        assertThatThrownBy(() -> lease.tryAcquire("x".repeat(LeaseFields.NAME_MAX_LENGTH + 1), HOLD))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..64");
        assertThatThrownBy(() -> lease.tryAcquire("backup-schedule", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static MongoWriteException writeError(int code, String message) {
        return new MongoWriteException(new WriteError(code, message, new BsonDocument()), new ServerAddress(),
                Set.of());
    }
}
