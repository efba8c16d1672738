package com.phishnet.store.support;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.mongodb.MongoException;
import com.mongodb.MongoSocketReadException;
import com.mongodb.ServerAddress;

import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.reactive.TransactionCallback;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Wraps a transactional operator so that, while armed, a unit's transaction runs and commits normally and the
 * caller then gets what a network error during commitTransaction looks like: Spring's
 * {@link TransactionSystemException} around a driver exception labelled UnknownTransactionCommitResult. The
 * commit did apply; the caller cannot know. Over a pass-through operator (unit tests) there is no commit at
 * all, and what "applied" means is up to the test's stubs.
 */
public final class UnknownCommitOperator implements TransactionalOperator {

    private final TransactionalOperator delegate;
    private final AtomicInteger armed = new AtomicInteger();
    private final AtomicInteger injected = new AtomicInteger();

    public UnknownCommitOperator(TransactionalOperator delegate) {
        this.delegate = delegate;
    }

    /** Over no transaction manager at all: the unit is just run. */
    public static UnknownCommitOperator passThrough() {
        return new UnknownCommitOperator(new TransactionalOperator() {
            @Override
            public <T> Flux<T> execute(TransactionCallback<T> action) {
                throw new UnsupportedOperationException();
            }

            @Override
            public <T> Mono<T> transactional(Mono<T> mono) {
                return mono;
            }
        });
    }

    /** The next {@code times} units commit and then report an unknown commit outcome. */
    public void failNextCommits(int times) {
        armed.set(times);
    }

    /** How many unknown outcomes were reported. */
    public int injected() {
        return injected.get();
    }

    public static MongoException unknownCommitResult() {
        MongoException failure = new MongoSocketReadException("injected: connection reset during commitTransaction",
                new ServerAddress());
        failure.addLabel(MongoException.UNKNOWN_TRANSACTION_COMMIT_RESULT_LABEL);
        return failure;
    }

    @Override
    public <T> Flux<T> execute(TransactionCallback<T> action) {
        return delegate.execute(action);
    }

    @Override
    public <T> Mono<T> transactional(Mono<T> mono) {
        return Mono.defer(() -> {
            AtomicReference<T> result = new AtomicReference<>();
            // then(): waits for the delegate's completion, which comes after its commit.
            return delegate.transactional(mono).doOnNext(result::set).then(Mono.defer(() -> {
                if (armed.getAndUpdate(left -> Math.max(0, left - 1)) == 0) {
                    return Mono.justOrEmpty(result.get());
                }
                injected.incrementAndGet();
                return Mono.error(new TransactionSystemException("Could not commit Mongo transaction",
                        unknownCommitResult()));
            }));
        });
    }
}
