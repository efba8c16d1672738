package com.phishnet.store.support;

import org.springframework.transaction.reactive.TransactionCallback;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A transactional operator without a server that marks each unit in the Reactor context, so a stubbed write can
 * tell whether it runs inside a unit ({@link #insideOnly}) and a test proves a write is part of its transaction.
 */
public final class MarkingOperator implements TransactionalOperator {

    private static final Object INSIDE_A_UNIT = MarkingOperator.class;

    @Override
    public <T> Flux<T> execute(TransactionCallback<T> action) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> Mono<T> transactional(Mono<T> unit) {
        return unit.contextWrite(context -> context.put(INSIDE_A_UNIT, true));
    }

    /** {@code result} when subscribed inside a unit; an AssertionError when outside any. */
    public static <T> Mono<T> insideOnly(Mono<T> result) {
        return Mono.deferContextual(context -> context.hasKey(INSIDE_A_UNIT) ? result
                : Mono.error(new AssertionError("written outside a transaction")));
    }
}
