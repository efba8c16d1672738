package com.phishnet.store.platform.mongo;

import java.time.Duration;
import java.util.function.Supplier;

import com.mongodb.MongoException;

import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Runs a unit of work in one multi-document transaction (snapshot reads, majority commit) and retries the
 * whole unit when MongoDB says the failure was transient (a write conflict with a concurrent transaction, a
 * primary stepping down). Retrying one write instead of the unit would be wrong: the transaction that
 * failed has already been aborted.
 * <p>
 * Call it once, at the outermost service method; code called from inside joins the same transaction.
 * Never call it again from inside a unit for the same tenant: the inner call would wait for the outer one.
 */
@Component
public class Transactions {

    static final int MAX_RETRIES = 10;

    private final TransactionalOperator operator;
    private final KeyedSequencer perTenant = new KeyedSequencer();

    public Transactions(TransactionalOperator operator) {
        this.operator = operator;
    }

    /**
     * Runs the unit for a tenant. Every audited change appends to the tenant's audit chain, so two
     * transactions of one tenant always conflict on the chain head; within this instance they therefore run
     * one after another instead of conflicting and retrying. Across instances the retry still resolves it.
     */
    public <T> Mono<T> run(String tenantId, Supplier<Mono<T>> work) {
        return run(tenantId, work, Transactions::isTransient);
    }

    /**
     * Like {@link #run}, and also re-runs the unit when the commit outcome is unknown (a network error during
     * commit). Only for units that first look for their own earlier result (an idempotency key), so a unit
     * whose commit did succeed finds it instead of writing twice.
     */
    public <T> Mono<T> runIdempotent(String tenantId, Supplier<Mono<T>> work) {
        return runIdempotent(tenantId, work, Gate.OPEN);
    }

    /**
     * {@link #runIdempotent} with a {@link Gate} asked when the unit's turn comes (after the tenant's earlier units)
     * and told how it ended, retries included, before the tenant's next unit starts.
     */
    public <T> Mono<T> runIdempotent(String tenantId, Supplier<Mono<T>> work, Gate gate) {
        return run(tenantId, work, failure -> isTransient(failure) || hasLabel(failure,
                MongoException.UNKNOWN_TRANSACTION_COMMIT_RESULT_LABEL), gate);
    }

    /**
     * Looks at a unit when its turn comes and learns how it ended, in the tenant's order: what a caller running many
     * units (a bulk request) needs to stop trying once the store keeps failing, without the units already queued
     * behind a failure slipping through.
     */
    public interface Gate {

        /** No looking: every unit runs. */
        Gate OPEN = new Gate() {
            @Override
            public void admit() {
            }

            @Override
            public void ended(Throwable failure) {
            }
        };

        /** Called when the unit's turn has come, before its transaction starts; throws to refuse it (nothing runs). */
        void admit();

        /** How the unit ended after its retries: null when it succeeded. Not called for a refused or cancelled unit. */
        void ended(Throwable failure);
    }

    private <T> Mono<T> run(String tenantId, Supplier<Mono<T>> work, java.util.function.Predicate<Throwable> retryable) {
        return run(tenantId, work, retryable, Gate.OPEN);
    }

    private <T> Mono<T> run(String tenantId, Supplier<Mono<T>> work, java.util.function.Predicate<Throwable> retryable,
            Gate gate) {
        return perTenant.run(tenantId, () -> {
            try {
                gate.admit();
            }
            catch (RuntimeException refused) {
                return Mono.error(refused);
            }
            // Told inside the tenant's turn: the sequencer starts the next unit as soon as this one terminates.
            return Mono.defer(() -> operator.transactional(Mono.defer(work)))
                    .retryWhen(Retry.backoff(MAX_RETRIES, Duration.ofMillis(5))
                            .maxBackoff(Duration.ofMillis(200))
                            .jitter(0.5)
                            .filter(retryable)
                            .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                    .doOnSuccess(ignored -> gate.ended(null))
                    .doOnError(gate::ended);
        });
    }

    /**
     * Whether MongoDB (or a repository that knows a failure of its own is safe to re-run) labelled the failure, or
     * its cause under Spring's translation, as transient.
     */
    public static boolean isTransient(Throwable failure) {
        return hasLabel(failure, MongoException.TRANSIENT_TRANSACTION_ERROR_LABEL);
    }

    static boolean hasLabel(Throwable failure, String label) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof MongoException mongo && mongo.hasErrorLabel(label)) {
                return true;
            }
        }
        return false;
    }
}
