package com.phishnet.store.audit;

import java.time.Clock;

import java.net.URI;

import com.phishnet.store.audit.AuditRequests.AuditEntryView;
import com.phishnet.store.platform.mongo.ChangePosition;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.DeniedAccessRecorder;
import com.phishnet.store.platform.time.IdSource;
import com.phishnet.store.platform.web.PageRequest;
import com.phishnet.store.platform.web.PageResponse;

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
        return Mono.defer(() -> record(event, ids.newId()));
    }

    /**
     * Appends under an id the caller chose before its transaction, so a unit re-run after an unknown commit
     * outcome can ask {@link #isRecorded} whether its entry is already committed instead of writing it twice.
     */
    public Mono<AuditEntry> record(AuditEvent event, String entryId) {
        return repository.last(event.tenantId())
                .map(previous -> AuditChain.next(previous, event, clock.instant(), entryId))
                .switchIfEmpty(Mono.fromSupplier(() -> AuditChain.next(null, event, clock.instant(), entryId)))
                .flatMap(repository::insert);
    }

    /** Whether the tenant's chain holds the entry with this id (read in the surrounding transaction). */
    public Mono<Boolean> isRecorded(String tenantId, String entryId) {
        return repository.exists(tenantId, entryId);
    }

    /** Appends in a transaction of its own, for events that change nothing else (a denied request). */
    public Mono<AuditEntry> recordAlone(AuditEvent event) {
        return transactions.run(event.tenantId(), () -> record(event));
    }

    /** The audit entries about one record, oldest first. */
    public Flux<AuditEntry> forTarget(String tenantId, String targetId) {
        return repository.forTarget(tenantId, targetId);
    }

    /** The chain of the tenant a request names; none (or a blank name) is the caller's own. */
    public Mono<ChainVerification> verify(Caller caller, String tenant) {
        return verify(tenant == null || tenant.isBlank() ? caller.tenantId() : tenant);
    }

    /** Walks the tenant's chain in order and reports the first broken link, if any. */
    public Mono<ChainVerification> verify(String tenantId) {
        return repository.chain(tenantId)
                .scan(new VerifyState(null, 0, null), (state, entry) -> state.broken() != null ? state
                        : new VerifyState(entry, state.checked() + 1, brokenOrNull(tenantId, state, entry)))
                .skip(1)
                .takeUntil(state -> state.broken() != null)
                .last(new VerifyState(null, 0, null))
                .map(state -> state.broken() != null ? state.broken() : ChainVerification.intact(tenantId, state.checked()));
    }

    public Mono<PageResponse<AuditEntryView>> query(Caller caller, AuditFilter filter, PageRequest page, URI uri) {
        return Mono.zip(repository.page(filter, caller.tenantId(), page.offset(), page.size())
                                .map(AuditEntryView::of).collectList(),
                        repository.count(filter, caller.tenantId()))
                .map(result -> PageResponse.of(result.getT1(), page, result.getT2(), uri));
    }

    /**
     * Audit entries of every tenant's chain as they are committed, from now or from {@code from}. Each
     * carries its tenant and the view {@link #query} returns for it.
     */
    public Flux<AuditChange> changes(ChangePosition from) {
        return repository.appended(from)
                .map(appended -> new AuditChange(appended.change().token(), appended.change().committedAt(),
                        appended.entry().tenantId(), appended.entry().eventType(), AuditEntryView.of(appended.entry())));
    }

    private static ChainVerification brokenOrNull(String tenantId, VerifyState state, AuditEntry entry) {
        String problem = ChainVerification.problem(state.previous(), entry);
        return problem == null ? null : ChainVerification.broken(tenantId, state.checked() + 1, entry, problem);
    }

    private record VerifyState(AuditEntry previous, long checked, ChainVerification broken) {
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
