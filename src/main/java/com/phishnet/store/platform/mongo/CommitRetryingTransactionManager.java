package com.phishnet.store.platform.mongo;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import com.mongodb.MongoException;
import com.mongodb.TransactionOptions;

import org.springframework.data.mongodb.ReactiveMongoDatabaseFactory;
import org.springframework.data.mongodb.ReactiveMongoTransactionManager;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Retries {@code commitTransaction} on the same session when its outcome is unknown, before the unit of work is
 * given up and re-run. The driver's transactions specification allows a commit to be sent again (it is
 * idempotent on the server); a re-run of the whole unit in a new session would otherwise meet the first
 * transaction's uncommitted writes, held until the server aborts it, and fail with write conflicts meanwhile.
 * Spring Data documents overriding {@code doCommit} as the place for such retries. As the specification's
 * convenient API does, a commit that ran out of {@code maxCommitTimeMS} (MaxTimeMSExpired) is not sent again, and
 * retrying stops once {@link #COMMIT_RETRY_BUDGET} has passed, so a request holds its tenant's turn only so long.
 */
class CommitRetryingTransactionManager extends ReactiveMongoTransactionManager {

    static final int COMMIT_RETRIES = 3;
    static final Duration COMMIT_RETRY_BUDGET = Duration.ofSeconds(15);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);
    private static final int MAX_TIME_MS_EXPIRED = 50;

    CommitRetryingTransactionManager(ReactiveMongoDatabaseFactory databaseFactory, TransactionOptions options) {
        super(databaseFactory, options);
    }

    @Override
    protected Mono<Void> doCommit(TransactionSynchronizationManager synchronizationManager,
            ReactiveMongoTransactionObject transactionObject) {
        return retryingUnknownOutcome(() -> super.doCommit(synchronizationManager, transactionObject));
    }

    /** Each retry sends the commit again (a fresh subscription to a fresh commit). */
    static Mono<Void> retryingUnknownOutcome(Supplier<Mono<Void>> commit) {
        return retryingUnknownOutcome(commit, System::nanoTime);
    }

    static Mono<Void> retryingUnknownOutcome(Supplier<Mono<Void>> commit, LongSupplier nanoTime) {
        return Mono.defer(() -> {
            long started = nanoTime.getAsLong();
            return Mono.defer(commit)
                    .retryWhen(Retry.backoff(COMMIT_RETRIES, FIRST_BACKOFF)
                            .filter(failure -> isRetryableCommitFailure(failure)
                                    && nanoTime.getAsLong() - started < COMMIT_RETRY_BUDGET.toNanos())
                            .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
        });
    }

    static boolean isRetryableCommitFailure(Throwable failure) {
        return isUnknownOutcome(failure) && !(failure instanceof MongoException mongo
                && mongo.getCode() == MAX_TIME_MS_EXPIRED);
    }

    static boolean isUnknownOutcome(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof MongoException mongo
                    && mongo.hasErrorLabel(MongoException.UNKNOWN_TRANSACTION_COMMIT_RESULT_LABEL)) {
                return true;
            }
        }
        return false;
    }
}
