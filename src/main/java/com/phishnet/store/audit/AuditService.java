package com.phishnet.store.audit;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;

import com.phishnet.store.audit.AuditRequests.AuditEntryView;
import com.phishnet.store.platform.mongo.ChangePosition;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.DeniedAccessRecorder;
import com.phishnet.store.platform.time.IdSource;
import com.phishnet.store.platform.web.InputBounds;
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

    /**
     * At most this many entries are offered for removal at a time: {@link #removeThrough} deletes them in one
     * transaction, which must stay well inside the server's transaction lifetime.
     */
    public static final int REMOVAL_BATCH = 10_000;

    /** A verification that raced a removal (the checkpoint moved under it) starts again, this many times at most. */
    static final int VERIFY_ATTEMPTS = 3;

    private final AuditRepository repository;
    private final Transactions transactions;
    private final Clock clock;
    private final IdSource ids;
    private final SecureRandom random;

    public AuditService(AuditRepository repository, Transactions transactions, Clock clock, IdSource ids,
            SecureRandom random) {
        this.repository = repository;
        this.transactions = transactions;
        this.clock = clock;
        this.ids = ids;
        this.random = random;
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
                .map(previous -> AuditChain.next(previous, event, clock.instant(), entryId, salt()))
                .switchIfEmpty(Mono.fromSupplier(() -> AuditChain.next(null, event, clock.instant(), entryId, salt())))
                .flatMap(repository::insert);
    }

    private byte[] salt() {
        byte[] salt = new byte[AuditChain.SALT_BYTES];
        random.nextBytes(salt);
        return salt;
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

    /**
     * Walks the tenant's chain in order from its checkpoint (or from seq 1 without one) and reports the first broken
     * link, if any. The walk is no snapshot: a retention removal committed meanwhile can make it see a gap. Removals
     * only move the checkpoint forward, so a walk that found a break while the checkpoint moved is done again from
     * the new one.
     */
    public Mono<ChainVerification> verify(String tenantId) {
        return verify(tenantId, VERIFY_ATTEMPTS);
    }

    private Mono<ChainVerification> verify(String tenantId, int attempts) {
        return checkpointOrEmpty(tenantId).flatMap(checkpoint -> walk(tenantId, checkpoint.orElse(null))
                .flatMap(result -> result.valid() || attempts <= 1 ? Mono.just(result)
                        : checkpointOrEmpty(tenantId).flatMap(now -> now.equals(checkpoint) ? Mono.just(result)
                                : verify(tenantId, attempts - 1))));
    }

    private Mono<ChainVerification> walk(String tenantId, AuditCheckpoint checkpoint) {
        return repository.chainAfter(tenantId, checkpoint == null ? 0 : checkpoint.seq())
                .scan(new VerifyState(null, 0, null), (state, entry) -> state.broken() != null ? state
                        : new VerifyState(entry, state.checked() + 1, brokenOrNull(tenantId, checkpoint, state, entry)))
                .skip(1)
                .takeUntil(state -> state.broken() != null)
                .last(new VerifyState(null, 0, null))
                .map(state -> state.broken() != null ? state.broken()
                        : checkpoint != null && state.checked() == 0 ? ChainVerification.headMissing(tenantId, checkpoint)
                        : ChainVerification.intact(tenantId, state.checked(), checkpoint));
    }

    private Mono<Optional<AuditCheckpoint>> checkpointOrEmpty(String tenantId) {
        return repository.checkpoint(tenantId).map(Optional::of).defaultIfEmpty(Optional.empty());
    }

    /**
     * Erases the personal fields (ip, userAgent) of every v2 entry of the tenant the user acted in (they are the
     * actor's: entries others made about the user keep theirs),
     * and their salts, and marks them {@code erasedAt}; the personal digest stays, so the chain still verifies and
     * the digest can no longer be tested against guesses. v1 entries naming the user cannot be erased without
     * breaking the chain (their hash covers ip and userAgent in clear): they are counted as
     * {@link AuditErasure#legacyEntriesKept()} and keep their fields until retention removes them.
     * <p>
     * One updateMany (joining a surrounding transaction, if any): the GDPR erasure calls it after its account
     * transaction, since a user may have acted in very many entries; not atomic over the entries, but safe to re-run:
     * it skips erased ones.
     */
    public Mono<AuditErasure> erasePersonalData(String tenantId, String userId) {
        // One after the other: operations of one transaction must not run concurrently on its session.
        return Mono.defer(() -> repository.erase(tenantId, userId, clock.instant().truncatedTo(ChronoUnit.MILLIS)))
                .flatMap(erased -> repository.countLegacy(tenantId, userId)
                        .map(legacy -> new AuditErasure(tenantId, userId, erased, legacy)));
    }

    /**
     * The seq of the last entry retention may remove from the tenant's chain, or 0 when none may: the longest run of
     * entries after the checkpoint that are all older than {@code cutoff} and name no held user (as actor or
     * target), never the chain's head, and at most {@link #REMOVAL_BATCH} entries. While it answers more than 0,
     * archive the entries through that seq, call {@link #removeThrough} and ask again. A tenant-wide legal hold
     * is the caller's to honour by not asking.
     */
    public Mono<Long> expiredThrough(String tenantId, Instant cutoff, Set<String> heldUserIds) {
        Set<String> held = Set.copyOf(heldUserIds);
        return Mono.zip(checkpointOrEmpty(tenantId), repository.last(tenantId).map(AuditEntry::seq).defaultIfEmpty(0L))
                .flatMap(start -> {
                    long afterSeq = start.getT1().map(AuditCheckpoint::seq).orElse(0L);
                    return repository.after(tenantId, afterSeq, REMOVAL_BATCH).collectList()
                            .map(entries -> AuditPrefix.expiredThrough(afterSeq, entries, start.getT2(), cutoff, held));
                });
    }

    /**
     * Removes the tenant's entries through {@code throughSeq}, which retention has archived (as {@code archiveId}),
     * and records the checkpoint {@code {seq, hash, removedAt, archiveId}} in the same transaction, so verification
     * starts after it. Answers how many entries it deleted.
     * <p>
     * Idempotent: when the checkpoint is already at or past {@code throughSeq} (a re-run after a crash), it removes
     * nothing and answers 0. Fails with {@link AuditChainMismatchException}, removing nothing, when the chain has no
     * entry at {@code throughSeq}, when its hash is not {@code throughHash} (the archive does not match the chain),
     * or when it is the chain's head. Runs in a transaction of its own: do not call it from inside one.
     */
    public Mono<Long> removeThrough(String tenantId, long throughSeq, String throughHash, String archiveId) {
        if (throughSeq < 1 || !AuditChain.isHex64(throughHash) || archiveId == null || archiveId.isBlank()
                || archiveId.length() > InputBounds.ID_MAX) {
            return Mono.error(new IllegalArgumentException(
                    "removeThrough needs a seq >= 1, a 64-hex-digit hash and an archive id of 1-" + InputBounds.ID_MAX
                            + " characters"));
        }
        return transactions.run(tenantId, () -> checkpointOrEmpty(tenantId)
                .flatMap(checkpoint -> checkpoint.isPresent() && checkpoint.get().seq() >= throughSeq ? Mono.just(0L)
                        : checkRemovable(tenantId, throughSeq, throughHash)
                                .then(repository.deleteThrough(tenantId, throughSeq))
                                .flatMap(deleted -> repository.saveCheckpoint(new AuditCheckpoint(tenantId, throughSeq,
                                                throughHash, clock.instant().truncatedTo(ChronoUnit.MILLIS), archiveId))
                                        .thenReturn(deleted))));
    }

    private Mono<Void> checkRemovable(String tenantId, long throughSeq, String throughHash) {
        return repository.at(tenantId, throughSeq)
                .switchIfEmpty(Mono.error(() -> new AuditChainMismatchException("the audit chain of tenant " + tenantId
                        + " has no entry at sequence " + throughSeq)))
                .flatMap(entry -> throughHash.equals(entry.hash()) ? repository.last(tenantId)
                        : Mono.error(new AuditChainMismatchException("the archive does not match the audit chain of tenant "
                                + tenantId + ": the entry at sequence " + throughSeq + " has another hash")))
                .flatMap(head -> head.seq() <= throughSeq ? Mono.error(new AuditChainMismatchException(
                        "sequence " + throughSeq + " is the head of the audit chain of tenant " + tenantId
                                + "; the head is never removed")) : Mono.empty())
                .then();
    }

    /** The tenant's checkpoint, for reports; empty while retention has removed nothing. */
    public Mono<AuditCheckpoint> checkpoint(String tenantId) {
        return repository.checkpoint(tenantId);
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

    private static ChainVerification brokenOrNull(String tenantId, AuditCheckpoint checkpoint, VerifyState state,
            AuditEntry entry) {
        String problem = state.previous() == null ? ChainVerification.firstProblem(checkpoint, entry)
                : ChainVerification.problem(state.previous(), entry);
        return problem == null ? null
                : ChainVerification.broken(tenantId, state.checked() + 1, entry, problem, checkpoint);
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
