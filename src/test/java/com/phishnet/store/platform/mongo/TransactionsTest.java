package com.phishnet.store.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.ServerAddress;
import com.mongodb.WriteError;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.reactive.TransactionCallback;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Which failures re-run the whole unit, over an operator that only passes the unit through. */
class TransactionsTest {

    private final Transactions transactions = new Transactions(new PassThrough());

    @Test
    void aTransientFailureReRunsTheWholeUnit() {
        AtomicInteger runs = new AtomicInteger();

        StepVerifier.create(transactions.run("acme", () -> runs.incrementAndGet() < 3
                        ? Mono.error(new DataIntegrityViolationException("write conflict", labelled(
                                MongoException.TRANSIENT_TRANSACTION_ERROR_LABEL)))
                        : Mono.just("done")))
                .expectNext("done").verifyComplete();
        assertThat(runs).hasValue(3);
    }

    @Test
    void anOrdinaryFailureIsNotRetried() {
        AtomicInteger runs = new AtomicInteger();

        StepVerifier.create(transactions.run("acme", () -> {
                    runs.incrementAndGet();
                    return Mono.error(new IllegalStateException("bug"));
                }))
                .expectErrorMessage("bug").verify();
        assertThat(runs).hasValue(1);
    }

    @Test
    void anUnknownCommitResultIsRetriedOnlyForIdempotentUnits() {
        AtomicInteger plain = new AtomicInteger();
        AtomicInteger idempotent = new AtomicInteger();
        MongoException unknown = labelled(MongoException.UNKNOWN_TRANSACTION_COMMIT_RESULT_LABEL);

        StepVerifier.create(transactions.run("acme", () -> plain.incrementAndGet() < 2 ? Mono.error(unknown)
                : Mono.just("x"))).expectError(MongoException.class).verify();
        StepVerifier.create(transactions.runIdempotent("acme", () -> idempotent.incrementAndGet() < 2
                ? Mono.error(unknown) : Mono.just("x"))).expectNext("x").verifyComplete();
        assertThat(plain).hasValue(1);
        assertThat(idempotent).hasValue(2);
    }

    @Test
    void retriesAreBounded() {
        AtomicInteger runs = new AtomicInteger();

        StepVerifier.create(transactions.run("acme", () -> {
                    runs.incrementAndGet();
                    return Mono.error(labelled(MongoException.TRANSIENT_TRANSACTION_ERROR_LABEL));
                }))
                .expectError(MongoException.class).verify();
        assertThat(runs).hasValue(Transactions.MAX_RETRIES + 1);
    }

    @Test
    void anUnlabelledDuplicateKeyIsNotRetried() {
        AtomicInteger runs = new AtomicInteger();

        StepVerifier.create(transactions.run("acme", () -> {
                    runs.incrementAndGet();
                    return Mono.error(duplicate("users_tenant_email_unique"));
                }))
                .expectError(MongoWriteException.class).verify();
        assertThat(runs).hasValue(1);
    }

    private static MongoException labelled(String label) {
        MongoCommandException failure = new MongoCommandException(
                BsonDocument.parse("{ok: 0, code: 112, codeName: 'WriteConflict', errmsg: 'write conflict'}"),
                new ServerAddress());
        failure.addLabel(label);
        return failure;
    }

    private static MongoWriteException duplicate(String index) {
        return new MongoWriteException(new WriteError(11000, "E11000 duplicate key error collection: db.c index: "
                + index + " dup key: { }", new BsonDocument()), new ServerAddress(), java.util.Set.of());
    }

    private static final class PassThrough implements TransactionalOperator {

        @Override
        public <T> Flux<T> execute(TransactionCallback<T> action) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> Mono<T> transactional(Mono<T> mono) {
            return mono;
        }
    }
}
