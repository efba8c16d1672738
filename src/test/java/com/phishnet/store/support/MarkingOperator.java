package com.phishnet.store.support;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.transaction.reactive.TransactionCallback;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A transactional operator without a server that marks each unit (each subscription, so each retry) with its own
 * number in the Reactor context, so a stubbed write can tell whether it runs inside a unit ({@link #insideOnly})
 * and which one ({@link #recordingUnit}): a test then proves two writes are part of the same transaction.
 */
public final class MarkingOperator implements TransactionalOperator {

    private static final Object UNIT = MarkingOperator.class;

    private final AtomicInteger units = new AtomicInteger();

    @Override
    public <T> Flux<T> execute(TransactionCallback<T> action) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> Mono<T> transactional(Mono<T> unit) {
        return Mono.defer(() -> {
            int number = units.incrementAndGet();
            return unit.contextWrite(context -> context.put(UNIT, number));
        });
    }

    /** {@code result} when subscribed inside a unit; an AssertionError when outside any. */
    public static <T> Mono<T> insideOnly(Mono<T> result) {
        return recordingUnit(new java.util.ArrayList<>(), result);
    }

    /** Like {@link #insideOnly}, and adds the number of the unit it runs in to {@code seen}. */
    public static <T> Mono<T> recordingUnit(List<Integer> seen, Mono<T> result) {
        return Mono.deferContextual(context -> {
            if (!context.hasKey(UNIT)) {
                return Mono.error(new AssertionError("written outside a transaction"));
            }
            seen.add(context.get(UNIT));
            return result;
        });
    }
}
