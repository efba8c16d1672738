package com.phishnet.store.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.mongodb.MongoException;
import org.junit.jupiter.api.Test;


import org.springframework.transaction.TransactionSystemException;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class CommitRetryingTransactionManagerTest {

    private final AtomicInteger commits = new AtomicInteger();

    @Test
    void sendsTheCommitAgainWhenItsOutcomeIsUnknown() {
        StepVerifier.create(CommitRetryingTransactionManager.retryingUnknownOutcome(() -> commitFailing(2, unknownOutcome())))
                .verifyComplete();
        assertThat(commits).hasValue(3);
    }

    @Test
    void givesUpAfterTheRetriesWithTheLastFailure() {
        StepVerifier.create(CommitRetryingTransactionManager.retryingUnknownOutcome(() -> commitFailing(10, unknownOutcome())))
                .expectErrorSatisfies(failure -> assertThat(CommitRetryingTransactionManager.isUnknownOutcome(failure)).isTrue())
                .verify();
        assertThat(commits).hasValue(1 + CommitRetryingTransactionManager.COMMIT_RETRIES);
    }

    @Test
    void doesNotRetryAFailureWhoseOutcomeIsKnown() {
        StepVerifier.create(CommitRetryingTransactionManager.retryingUnknownOutcome(
                        () -> commitFailing(1, new MongoException(112, "WriteConflict"))))
                .expectError(MongoException.class)
                .verify();
        assertThat(commits).hasValue(1);
    }

    @Test
    void doesNotSendACommitThatRanOutOfItsTimeAgain() {
        MongoException expired = new MongoException(50, "MaxTimeMSExpired");
        expired.addLabel(MongoException.UNKNOWN_TRANSACTION_COMMIT_RESULT_LABEL);

        StepVerifier.create(CommitRetryingTransactionManager.retryingUnknownOutcome(() -> commitFailing(1, expired)))
                .expectErrorMatches(failure -> failure == expired)
                .verify();
        assertThat(commits).hasValue(1);
    }

    @Test
    void stopsRetryingOnceTheBudgetIsSpent() {
        AtomicLong now = new AtomicLong();
        StepVerifier.create(CommitRetryingTransactionManager.retryingUnknownOutcome(() -> {
                    now.addAndGet(CommitRetryingTransactionManager.COMMIT_RETRY_BUDGET.toNanos());
                    return commitFailing(10, unknownOutcome());
                }, now::get))
                .expectError(MongoException.class)
                .verify();
        assertThat(commits).hasValue(1);
    }

    @Test
    void recognisesTheLabelBehindSpringsWrapper() {
        assertThat(CommitRetryingTransactionManager.isUnknownOutcome(
                new TransactionSystemException("commit failed", unknownOutcome()))).isTrue();
    }

    private Mono<Void> commitFailing(int failures, MongoException failure) {
        return commits.incrementAndGet() <= failures ? Mono.error(failure) : Mono.empty();
    }

    private static MongoException unknownOutcome() {
        MongoException failure = new MongoException(91, "ShutdownInProgress");
        failure.addLabel(MongoException.UNKNOWN_TRANSACTION_COMMIT_RESULT_LABEL);
        return failure;
    }
}
