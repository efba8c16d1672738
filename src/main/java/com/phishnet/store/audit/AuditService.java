package com.phishnet.store.audit;

import java.time.Clock;

import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.DeniedAccessRecorder;
import com.phishnet.store.platform.time.IdSource;

import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Appends to a tenant's audit chain. {@link #record} joins the caller's transaction, so an audited change
 * and its audit entry commit together or not at all. Two concurrent appends read the same chain head and
 * write the same {@code seq}; the unique (tenantId, seq) index and snapshot isolation make the second one
 * fail with a transient write conflict, and {@link Transactions} re-runs its whole unit of work on the new
 * head: the chain never forks.
 */
@Service
public class AuditService implements DeniedAccessRecorder {

    private final AuditRepository repository;
    private final Transactions transactions;
    private final Clock clock;
    private final IdSource ids;

    public AuditService(AuditRepository repository, Transactions transactions, Clock clock, IdSource ids) {
        this.repository = repository;
        this.transactions = transactions;
        this.clock = clock;
        this.ids = ids;
    }

    /** Appends inside the surrounding transaction; call it from within {@link Transactions#run}. */
    public Mono<AuditEntry> record(AuditEvent event) {
        return repository.last(event.tenantId())
                .map(previous -> AuditChain.next(previous, event, clock.instant(), ids.newId()))
                .switchIfEmpty(Mono.fromSupplier(() -> AuditChain.next(null, event, clock.instant(), ids.newId())))
                .flatMap(repository::insert);
    }

    /** Appends in a transaction of its own, for events that change nothing else (a denied request). */
    public Mono<AuditEntry> recordAlone(AuditEvent event) {
        return transactions.run(event.tenantId(), () -> record(event));
    }

    /** The audit entries about one record, oldest first. */
    public Flux<AuditEntry> forTarget(String tenantId, String targetId) {
        return repository.forTarget(tenantId, targetId);
    }

    @Override
    public Mono<Void> accessDenied(Caller caller, String method, String path, String reason) {
        String target = method + " " + path;
        return recordAlone(AuditEvent.of(caller, AuditEventType.ACCESS_DENIED, "request",
                        target.length() > 128 ? target.substring(0, 128) : target)
                .withOutcome(AuditOutcome.DENIED)
                .withDetail("reason", reason == null ? "" : reason))
                .then();
    }
}
