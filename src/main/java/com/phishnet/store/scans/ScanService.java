package com.phishnet.store.scans;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.phishnet.store.audit.AuditEvent;
import com.phishnet.store.audit.AuditEventType;
import com.phishnet.store.audit.AuditService;
import com.phishnet.store.platform.crypto.Sha256;
import com.phishnet.store.platform.mongo.ChangePosition;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.time.IdSource;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.platform.web.CanonicalJson;
import com.phishnet.store.platform.web.CursorCodec;
import com.phishnet.store.platform.web.CursorCodec.Position;
import com.phishnet.store.platform.web.PageRequest;
import com.phishnet.store.platform.web.PageResponse;
import com.phishnet.store.scans.ScanRequests.CursorPage;
import com.phishnet.store.scans.ScanRequests.EmailView;
import com.phishnet.store.scans.ScanRequests.FeedbackInput;
import com.phishnet.store.scans.ScanRequests.FeedbackView;
import com.phishnet.store.scans.ScanRequests.IngestScan;
import com.phishnet.store.scans.ScanRequests.ScanView;
import com.phishnet.store.scans.ScanRequests.ThreatView;
import com.phishnet.store.scans.ScanRepository.ChangedScan;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Scan ingestion and reads. One ingestion writes the email metadata (reused when the message was seen
 * before), the scan, its audit entries and the user's and tenant's counters in one transaction: all four are
 * visible or none is. A retried request with the same Idempotency-Key returns the first result and counts
 * nothing twice.
 */
@Service
public class ScanService {

    /** Scanners' clocks drift; a time this far ahead of ours is still accepted. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    /** Email look-ups a change feed runs at once; their results still leave in the order of the events. */
    static final int EMAIL_LOOKUPS_IN_FLIGHT = 16;

    private final ScanRepository repository;
    private final ScanStatistics statistics;
    private final ScanMetrics metrics;
    private final AuditService audit;
    private final Transactions transactions;
    private final CursorCodec cursors;
    private final Clock clock;
    private final IdSource ids;

    public ScanService(ScanRepository repository, ScanStatistics statistics, ScanMetrics metrics, AuditService audit,
            Transactions transactions, CursorCodec cursors, Clock clock, IdSource ids) {
        this.repository = repository;
        this.statistics = statistics;
        this.metrics = metrics;
        this.audit = audit;
        this.transactions = transactions;
        this.cursors = cursors;
        this.clock = clock;
        this.ids = ids;
    }

    private record Corrected(FeedbackView feedback, String userId, Verdict from) {
    }

    /** The outcome of an ingestion: the scan, and whether it was the replay of an earlier request. */
    public record Ingested(ScanView scan, boolean replayed) {
    }

    public Mono<Ingested> ingest(Caller caller, IngestScan request, String idempotencyKey) {
        return ingest(caller, request, idempotencyKey, Transactions.Gate.OPEN);
    }

    /**
     * {@link #ingest(Caller, IngestScan, String)} with a gate asked when the scan's transaction gets its turn in the
     * tenant's queue and told how it ended (bulk ingestion stops trying items once the store keeps failing).
     */
    public Mono<Ingested> ingest(Caller caller, IngestScan request, String idempotencyKey, Transactions.Gate gate) {
        // The routes' rule again at the head of the service, for the single route and every batch item alike.
        if (!Rule.SCAN_WRITER.admits(caller)) {
            return Mono.error(new AccessDeniedException("Ingesting scans needs the scope 'scans:write' or the role"
                    + " ADMIN."));
        }
        return Mono.fromRunnable(() -> checkTimes(request))
                .then(Mono.defer(() -> {
                    // Without a client key one is made here, so re-running the unit after an unknown commit
                    // outcome still finds its own first result.
                    String key = idempotencyKey != null ? idempotencyKey : "server:" + ids.newId();
                    String requestHash = requestHash(request);
                    // The scans this call wrote in any run of the unit: a re-run after a commit reported unknown that
                    // had in fact succeeded finds its own scan, which is this call's creation and not a replay.
                    Set<String> writtenHere = ConcurrentHashMap.newKeySet();
                    return transactions.runIdempotent(caller.tenantId(), () -> repository
                                    .scanByIdempotencyKey(caller.tenantId(), key)
                                    .flatMap(earlier -> replay(caller, earlier, request, requestHash)
                                            .map(replayed -> writtenHere.contains(earlier.id())
                                                    ? new Ingested(replayed.scan(), false) : replayed))
                                    .switchIfEmpty(Mono.defer(() -> write(caller, request, key, requestHash)
                                            .doOnNext(written -> writtenHere.add(written.scan().id())))), gate)
                            // Past the commit, once, however often the unit ran; a replay was counted the first time.
                            .doOnNext(ingested -> {
                                if (!ingested.replayed()) {
                                    metrics.ingested(request.result().verdict());
                                }
                            })
                            .flatMap(ingested -> ingested.replayed() ? Mono.just(ingested)
                                    : statistics.committed(caller, request.userId()).thenReturn(ingested))
                            .onErrorResume(DuplicateKeyException.class, raced -> repository
                                    .scanByIdempotencyKey(caller.tenantId(), key)
                                    .switchIfEmpty(Mono.error(raced))
                                    .flatMap(earlier -> replay(caller, earlier, request, requestHash)));
                }));
    }

    public Mono<ScanView> get(Caller caller, String id) {
        return repository.scan(caller.tenantId(), id)
                .filter(scan -> mayRead(caller, scan.userId()))
                .switchIfEmpty(Mono.error(() -> new ApiException.NotFound("No scan " + id + ".")))
                .flatMap(this::view);
    }

    /**
     * Every committed scan of every tenant as {@link #get} shows it, from now or from {@code from}. An aborted
     * ingestion never appears (change streams return committed changes).
     */
    public Flux<ScanChange> scanChanges(ChangePosition from) {
        return repository.insertedScans(from)
                .flatMapSequential(changed -> view(changed.scan()).map(view -> ScanChange.of(changed, view)),
                        EMAIL_LOOKUPS_IN_FLIGHT);
    }

    /**
     * Threats as they are committed: scans detected SUSPICIOUS or MALICIOUS, and analyst feedback that raised a
     * scan's verdict (never one that lowered it), of every tenant.
     */
    public Flux<ThreatChange> threatChanges(ChangePosition from) {
        return repository.threats(from)
                .filter(ScanService::isThreat)
                .flatMapSequential(changed -> view(changed.scan())
                        .map(view -> ThreatChange.of(changed, threat(changed, view))), EMAIL_LOOKUPS_IN_FLIGHT);
    }

    public Mono<PageResponse<ScanView>> scans(Caller caller, ScanFilter filter, PageRequest page, URI uri) {
        return resolved(caller, visibleTo(caller, filter)).flatMap(visible -> Mono.zip(
                        repository.scans(ScanRepository.scanPage(caller.tenantId(), visible, null, page.offset(), page.size()))
                                .map(scan -> ScanView.of(scan, null)).collectList(),
                        repository.countScans(caller.tenantId(), visible))
                .map(result -> PageResponse.of(result.getT1(), page, result.getT2(), uri)));
    }

    /** Keyset paging: the cursor is the position of the last scan returned; "" starts at the newest. */
    public Mono<CursorPage<ScanView>> scansAfter(Caller caller, ScanFilter filter, String cursor, int size) {
        ScanFilter visible = visibleTo(caller, filter);
        Position after = cursor.isEmpty() ? null : cursors.decode("scans", cursor, visible.fingerprint());
        return resolved(caller, visible)
                .flatMap(query -> repository.scans(ScanRepository.scanPage(caller.tenantId(), query, after, 0, size))
                        .collectList())
                .map(scans -> new CursorPage<>(scans.stream().map(scan -> ScanView.of(scan, null)).toList(),
                        scans.size() < size ? null : cursors.encode("scans", new Position(last(scans).scannedAt(),
                                last(scans).id()), visible.fingerprint())));
    }

    public Mono<PageResponse<EmailView>> emails(Caller caller, EmailFilter filter, PageRequest page, URI uri) {
        return Mono.zip(repository.emails(ScanRepository.emailPage(caller.tenantId(), filter, null, page.offset(),
                                page.size())).map(EmailView::of).collectList(),
                        repository.countEmails(caller.tenantId(), filter))
                .map(result -> PageResponse.of(result.getT1(), page, result.getT2(), uri));
    }

    public Mono<CursorPage<EmailView>> emailsAfter(Caller caller, EmailFilter filter, String cursor, int size) {
        return Mono.defer(() -> {
            Position after = cursor.isEmpty() ? null : cursors.decode("emails", cursor, filter.fingerprint());
            return repository.emails(ScanRepository.emailPage(caller.tenantId(), filter, after, 0, size)).collectList();
        }).map(emails -> new CursorPage<>(emails.stream().map(EmailView::of).toList(),
                emails.size() < size ? null : cursors.encode("emails", new Position(
                        emails.get(emails.size() - 1).receivedAt(), emails.get(emails.size() - 1).id()),
                        filter.fingerprint())));
    }

    /**
     * An analyst's correction: one feedback per analyst and scan (a second one updates it). The feedback, the
     * scan's effective verdict, the counters and the audit entry change in one transaction.
     */
    public Mono<FeedbackView> feedback(Caller caller, String scanId, FeedbackInput input) {
        return transactions.run(caller.tenantId(), () -> repository.scan(caller.tenantId(), scanId)
                .switchIfEmpty(Mono.error(() -> new ApiException.NotFound("No scan " + scanId + ".")))
                .flatMap(scan -> repository.feedback(caller.tenantId(), scanId, caller.subject())
                        .map(Optional::of).defaultIfEmpty(Optional.empty())
                        .flatMap(previous -> recordFeedback(caller, scan, input, previous.isEmpty()))
                        .map(view -> new Corrected(view, scan.userId(), scan.effectiveVerdict()))))
                .doOnNext(done -> metrics.feedback(done.from(), input.verdict()))
                .flatMap(done -> statistics.committed(caller, done.userId()).thenReturn(done.feedback()));
    }

    /**
     * The tenant's feedback, newest first, as an offset page. Analysts and admins only (the route's rule); the
     * tenant comes from the caller, never from the request.
     */
    public Mono<PageResponse<FeedbackView>> feedbackList(Caller caller, FeedbackFilter filter, PageRequest page, URI uri) {
        return Mono.zip(repository.feedbackList(ScanRepository.feedbackPage(caller.tenantId(), filter, null,
                                page.offset(), page.size())).map(FeedbackView::of).collectList(),
                        repository.countFeedback(caller.tenantId(), filter))
                .map(result -> PageResponse.of(result.getT1(), page, result.getT2(), uri));
    }

    /** Keyset paging over the tenant's feedback by (createdAt, _id); "" starts at the newest. */
    public Mono<CursorPage<FeedbackView>> feedbackAfter(Caller caller, FeedbackFilter filter, String cursor, int size) {
        return Mono.defer(() -> {
            Position after = cursor.isEmpty() ? null : cursors.decode("feedback", cursor, filter.fingerprint());
            return repository.feedbackList(ScanRepository.feedbackPage(caller.tenantId(), filter, after, 0, size))
                    .collectList();
        }).map(page -> new CursorPage<>(page.stream().map(FeedbackView::of).toList(),
                page.size() < size ? null : cursors.encode("feedback", new Position(
                        page.get(page.size() - 1).createdAt(), page.get(page.size() - 1).id()), filter.fingerprint())));
    }

    /** The feedback on one scan of the caller's tenant: 404 when the tenant has no such scan. */
    public Mono<Object> scanFeedback(Caller caller, String scanId, FeedbackFilter filter, String cursor,
            PageRequest page, URI uri) {
        return repository.scanExists(caller.tenantId(), scanId)
                .filter(Boolean::booleanValue)
                .switchIfEmpty(Mono.error(() -> new ApiException.NotFound("No scan " + scanId + ".")))
                .flatMap(exists -> cursor != null ? feedbackAfter(caller, filter, cursor, page.size()).map(Object.class::cast)
                        : feedbackList(caller, filter, page, uri).map(Object.class::cast));
    }

    /** What a user's erasure changed in the scan records, per collection. */
    public record Pseudonymised(long emails, long scans, long feedback) {
    }

    /**
     * The user's part of GDPR erasure in the scan records (rules: {@link Pseudonymisation}): one server-side
     * updateMany per collection, scoped by tenant and user, outside any transaction (they may touch many records).
     * Each selects only records still holding personal data, so running it again completes an interrupted run and
     * otherwise changes nothing. {@code address} is the person's own (lower-cased) address; null when it is no
     * longer known, and then only the rules that need none run (recipients, subjects, comments).
     */
    public Mono<Pseudonymised> pseudonymiseUser(String tenantId, String userId, String address, String pseudonym) {
        Mono<Long> scansChanged = address == null ? Mono.just(0L)
                : repository.pseudonymiseScans(tenantId, userId, address, pseudonym);
        return repository.pseudonymiseEmails(tenantId, userId, address, pseudonym)
                .zipWith(scansChanged)
                .zipWith(repository.clearFeedbackComments(tenantId, userId),
                        (counts, feedback) -> new Pseudonymised(counts.getT1(), counts.getT2(), feedback));
    }

    /** The scan with its email, looked up in the scan's own tenant; a scan whose email is gone shows none. */
    private Mono<ScanView> view(ScanResult scan) {
        return repository.email(scan.tenantId(), scan.emailId()).map(Optional::of).defaultIfEmpty(Optional.empty())
                .map(email -> ScanView.of(scan, email.orElse(null)));
    }

    /** The server's filter already holds only these; an event it let through by mistake is not shown as a threat. */
    private static boolean isThreat(ChangedScan changed) {
        if (changed.correctedTo() == null) {
            return changed.scan().verdict().isAbove(Verdict.CLEAN);
        }
        return changed.correctedFrom() != null && changed.correctedTo().isAbove(changed.correctedFrom());
    }

    private static ThreatView threat(ChangedScan changed, ScanView view) {
        return changed.correctedTo() == null ? ThreatView.detected(view)
                : ThreatView.raisedByFeedback(changed.correctedFrom(), changed.correctedTo(), view);
    }

    private Mono<Ingested> write(Caller caller, IngestScan request, String key, String requestHash) {
        Instant now = clock.instant();
        String tenant = caller.tenantId();
        ScanRequests.EmailInput input = request.email();
        String sender = input.sender().trim().toLowerCase(Locale.ROOT);
        EmailMeta email = new EmailMeta(ids.newId(), tenant, request.userId(), input.messageId(), sender,
                sender.substring(sender.lastIndexOf('@') + 1),
                input.recipients().stream().map(recipient -> recipient.trim().toLowerCase(Locale.ROOT)).toList(),
                input.subject(), input.receivedAt(), input.sizeBytes(), input.hashes() == null ? Map.of() : input.hashes(),
                false, now);
        ScanRequests.ResultInput result = request.result();
        return repository.upsertEmail(email)
                .flatMap(stored -> repository.insertScan(new ScanResult(ids.newId(), tenant, request.userId(), stored.id(),
                                sender, result.verdict(), result.verdict(), result.score(),
                                result.indicators() == null ? List.of() : result.indicators().stream()
                                        .map(indicator -> new ScanResult.Indicator(indicator.type(), indicator.value(),
                                                indicator.weight())).toList(),
                                result.modelVersion(), result.timings() == null ? Map.of() : result.timings(), key,
                                requestHash, result.scannedAt(), false, now))
                        .flatMap(scan -> auditIngestion(caller, scan)
                                .then(statistics.counted(caller, scan.userId(), scan.verdict(), scan.scannedAt()))
                                .thenReturn(new Ingested(ScanView.of(scan, stored), false))));
    }

    private Mono<Void> auditIngestion(Caller caller, ScanResult scan) {
        Mono<?> ingested = audit.record(AuditEvent.of(caller, AuditEventType.SCAN_INGESTED, ScanFields.COLLECTION, scan.id())
                .withDetail("verdict", scan.verdict().name()));
        if (scan.verdict() != Verdict.MALICIOUS) {
            return ingested.then();
        }
        return ingested.then(audit.record(AuditEvent.of(caller, AuditEventType.THREAT_DETECTED, ScanFields.COLLECTION,
                scan.id()).withDetail("sender", scan.sender()).withDetail("score", Double.toString(scan.score())))).then();
    }

    private Mono<Ingested> replay(Caller caller, ScanResult earlier, IngestScan request, String requestHash) {
        if (!sameRequest(earlier.requestHash(), request, requestHash)) {
            return Mono.error(new ApiException.Conflict("The Idempotency-Key was already used for a different request."));
        }
        return repository.email(caller.tenantId(), earlier.emailId())
                .map(email -> new Ingested(ScanView.of(earlier, email), true))
                .defaultIfEmpty(new Ingested(ScanView.of(earlier, null), true));
    }

    private Mono<FeedbackView> recordFeedback(Caller caller, ScanResult scan, FeedbackInput input, boolean first) {
        Instant now = clock.instant();
        Feedback feedback = new Feedback(ids.newId(), caller.tenantId(), scan.id(), caller.subject(), input.verdict(),
                input.comment(), now, now, input.rating(), input.flag() == null ? null : input.flag().value(),
                scan.modelVersion(), scan.verdict());
        Verdict from = scan.effectiveVerdict();
        Verdict to = input.verdict();
        Mono<Void> corrected = from == to ? Mono.empty()
                : repository.setEffectiveVerdict(caller.tenantId(), scan.id(), scan.idempotencyKey(), from, to).then();
        return repository.upsertFeedback(feedback)
                .flatMap(saved -> corrected
                        .then(statistics.moved(caller, scan.userId(), from, to, first))
                        .then(audit.record(AuditEvent.of(caller, AuditEventType.FEEDBACK_RECORDED, ScanFields.COLLECTION,
                                        scan.id())
                                .withDetail("from", from.name())
                                .withDetail("to", to.name())))
                        .thenReturn(FeedbackView.of(saved)));
    }

    private void checkTimes(IngestScan request) {
        Instant latest = clock.instant().plus(CLOCK_SKEW);
        if (request.email().receivedAt().isAfter(latest)) {
            throw new ApiException.InvalidField("email.receivedAt", "must not be in the future");
        }
        if (request.result().scannedAt().isAfter(latest)) {
            throw new ApiException.InvalidField("result.scannedAt", "must not be in the future");
        }
        if (request.result().scannedAt().isBefore(request.email().receivedAt().minus(CLOCK_SKEW))) {
            throw new ApiException.InvalidField("result.scannedAt", "must not be before the message was received");
        }
    }

    /** A USER sees only their own scans; analysts and admins see the tenant's. */
    private static ScanFilter visibleTo(Caller caller, ScanFilter filter) {
        if (Rule.ANALYST_OR_ADMIN.admits(caller)) {
            return filter;
        }
        return filter.withUser(caller.subject());
    }

    /** The filter with its message resolved to the tenant's email of it (the unique (tenantId, messageId) key). */
    private Mono<ScanFilter> resolved(Caller caller, ScanFilter filter) {
        if (filter.messageId() == null) {
            return Mono.just(filter);
        }
        return repository.emailIdOfMessage(caller.tenantId(), filter.messageId())
                .map(filter::withEmailId)
                .defaultIfEmpty(filter.withEmailId(ScanFilter.NO_EMAIL));
    }

    private static boolean mayRead(Caller caller, String ownerId) {
        return Rule.ANALYST_OR_ADMIN.admits(caller) || caller.subject().equals(ownerId);
    }

    private static ScanResult last(List<ScanResult> scans) {
        return scans.get(scans.size() - 1);
    }

    /** Equal requests hash equally however their maps were ordered on the wire. */
    static String requestHash(IngestScan request) {
        return Sha256.hex(CanonicalJson.of(request));
    }

    /**
     * Scans stored before fingerprints were canonical JSON (December 2026) hold a hash of the request record's text
     * form. Their keys never expire, so a retry of such a scan must still replay rather than conflict.
     */
    static boolean sameRequest(String storedHash, IngestScan request, String requestHash) {
        return requestHash.equals(storedHash) || Sha256.hex(request.toString()).equals(storedHash);
    }
}
