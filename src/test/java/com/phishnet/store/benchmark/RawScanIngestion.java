package com.phishnet.store.benchmark;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import com.mongodb.ClientSessionOptions;
import com.mongodb.MongoException;
import com.mongodb.ReadConcern;
import com.mongodb.ReadPreference;
import com.mongodb.TransactionOptions;
import com.mongodb.WriteConcern;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.reactivestreams.client.ClientSession;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.phishnet.store.analytics.TenantStatsFields;
import com.phishnet.store.audit.AuditChain;
import com.phishnet.store.audit.AuditEntry;
import com.phishnet.store.audit.AuditEvent;
import com.phishnet.store.audit.AuditEventType;
import com.phishnet.store.audit.AuditFields;
import com.phishnet.store.audit.AuditOutcome;
import com.phishnet.store.platform.crypto.Sha256;
import com.phishnet.store.platform.mongo.KeyedSequencer;
import com.phishnet.store.platform.mongo.StoreMongoProperties;
import com.phishnet.store.platform.time.IdSource;
import com.phishnet.store.scans.EmailFields;
import com.phishnet.store.scans.ScanFields;
import com.phishnet.store.scans.ScanResult;
import com.phishnet.store.scans.Verdict;
import com.phishnet.store.users.UserFields;
import org.bson.Document;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Scan ingestion's transaction issued straight through the reactive Java driver: the practical limit the HTTP
 * side is compared with. It makes the same reads and writes, in the same order, with the same documents, filters
 * and updates (so the same indexes are used and maintained, and the collections' validators check the same
 * shapes), in one transaction with the service's options (snapshot read concern, majority + journal write concern,
 * primary, the same commit time limit), on the application's own {@link MongoClient} (same pool, same settings):
 * <ol>
 * <li>{@code scan_results}: the idempotency look-up, find by (tenantId, idempotencyKey), limit 1; when it finds a
 * scan the unit ends there, as the service's replay does (here only on a re-run after an unknown commit outcome,
 * which finds the scan the first run did commit);</li>
 * <li>{@code emails_meta}: findOneAndUpdate upsert by (tenantId, messageId), {@code $setOnInsert} of the email;</li>
 * <li>{@code scan_results}: insert of the scan;</li>
 * <li>{@code audit_logs}: the tenant chain's head (find by tenantId, sort seq descending, limit 1), then insert of
 * the next hash-chained entry (SCAN_INGESTED; a MALICIOUS scan appends THREAT_DETECTED too, the same way);</li>
 * <li>{@code users}: updateOne of the user's counters ($inc, $max), refused for an unknown or ERASED user;</li>
 * <li>{@code tenant_stats}: upsert of the tenant's counters;</li>
 * </ol>
 * then commit, re-sent while its outcome is unknown within the service's retry budget, and the whole transaction
 * re-run on a transient error or an unknown commit outcome, as the service does (Transactions.runIdempotent,
 * CommitRetryingTransactionManager); a tenant's transactions run one after another, as the service runs them.
 * <p>
 * What it deliberately leaves out, being the cost the ratio measures: HTTP and TLS-less loopback I/O, JSON parsing
 * and writing, bean validation, authentication (JWT signature and claims), rate limiting, request ids and client
 * address filters, Spring Data's object mapping; the request fingerprint's canonical JSON (the fingerprint stored
 * here is a SHA-256 of the message id, so the unique index on the key is maintained all the same); on a replay, the
 * email read that only serves the response; the post-commit eviction of the user's cached counters in Redis; and
 * the response. No field of a scan is encrypted, so there is no encryption to leave out. The audit entry's hash
 * chain (SHA-256 and a salted HMAC) is kept: it is part of the document.
 */
final class RawScanIngestion {

    /** What Spring Data stores as {@code _class}: the raw documents carry it too. */
    static final String SCAN_CLASS = ScanResult.class.getName();
    static final String AUDIT_CLASS = AuditEntry.class.getName();

    /** The service's retry rules: Transactions.MAX_RETRIES, CommitRetryingTransactionManager's (RawScanIngestionTest). */
    static final int MAX_RETRIES = 10;
    static final int COMMIT_RETRIES = 3;
    static final Duration COMMIT_RETRY_BUDGET = Duration.ofSeconds(15);
    private static final Duration COMMIT_FIRST_BACKOFF = Duration.ofMillis(50);
    private static final int MAX_TIME_MS_EXPIRED = 50;

    private final MongoCollection<Document> emails;
    private final MongoCollection<Document> scans;
    private final MongoCollection<Document> audit;
    private final MongoCollection<Document> users;
    private final MongoCollection<Document> tenantStats;
    private final MongoClient client;
    private final TransactionOptions transaction;
    private final Clock clock;
    private final IdSource ids;
    private final SecureRandom random;
    private final KeyedSequencer perTenant = new KeyedSequencer();

    RawScanIngestion(MongoClient client, String database, StoreMongoProperties properties, Clock clock, IdSource ids,
            SecureRandom random) {
        MongoDatabase db = client.getDatabase(database);
        this.client = client;
        this.emails = db.getCollection(EmailFields.COLLECTION);
        this.scans = db.getCollection(ScanFields.COLLECTION);
        this.audit = db.getCollection(AuditFields.COLLECTION);
        this.users = db.getCollection(UserFields.COLLECTION);
        this.tenantStats = db.getCollection(TenantStatsFields.COLLECTION);
        this.transaction = transactionOptions(properties);
        this.clock = clock;
        this.ids = ids;
        this.random = random;
    }

    /** The service's transaction options (MongoClientConfig), from the same properties. */
    static TransactionOptions transactionOptions(StoreMongoProperties properties) {
        return TransactionOptions.builder()
                .readConcern(ReadConcern.SNAPSHOT)
                .writeConcern(WriteConcern.MAJORITY.withJournal(true)
                        .withWTimeout(properties.writeConcernTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .readPreference(ReadPreference.primary())
                .maxCommitTime(properties.transactionMaxCommitTime().toMillis(), TimeUnit.MILLISECONDS)
                .build();
    }

    /** Ingests the scan: the whole transaction, retried as the service retries it. */
    Mono<Void> ingest(ScanPayload scan) {
        return perTenant.run(scan.tenantId(), () -> rerunning(() -> inTransaction(scan)));
    }

    /**
     * The unit again, in a new transaction, when MongoDB says it may succeed if re-run (Transactions.runIdempotent):
     * a transient error, or a commit whose outcome stayed unknown. After an unknown outcome the re-run's idempotency
     * look-up finds the scan if the first commit did succeed, so nothing is written twice.
     */
    static Mono<Void> rerunning(Supplier<Mono<Void>> unit) {
        return Mono.defer(unit)
                .retryWhen(Retry.backoff(MAX_RETRIES, Duration.ofMillis(5))
                        .maxBackoff(Duration.ofMillis(200))
                        .jitter(0.5)
                        .filter(RawScanIngestion::rerunsTheUnit)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
    }

    static boolean rerunsTheUnit(Throwable failure) {
        return hasLabel(failure, MongoException.TRANSIENT_TRANSACTION_ERROR_LABEL)
                || hasLabel(failure, MongoException.UNKNOWN_TRANSACTION_COMMIT_RESULT_LABEL);
    }

    private Mono<Void> inTransaction(ScanPayload scan) {
        return Mono.usingWhen(client.startSession(ClientSessionOptions.builder().causallyConsistent(true).build()),
                session -> Mono.defer(() -> {
                    session.startTransaction(transaction);
                    return unit(session, scan).then(commit(session));
                }),
                session -> Mono.fromRunnable(session::close),
                (session, failure) -> abort(session),
                RawScanIngestion::abort);
    }

    /**
     * The unit of work: the idempotency look-up, then the writes unless it found the scan. One operation after the
     * other (a transaction's operations never run concurrently).
     */
    private Mono<Void> unit(ClientSession session, ScanPayload scan) {
        return Mono.from(scans.find(session, idempotencyFilter(scan.tenantId(), scan.idempotencyKey())).limit(1).first())
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(earlier -> earlier.isPresent() ? replayed(earlier.get(), scan) : writes(session, scan));
    }

    /**
     * The service answers a known key with the earlier scan, or refuses it when the request differs
     * (ScanService.replay); there is no answer to build here, so a known key ends the unit.
     */
    static Mono<Void> replayed(Document earlier, ScanPayload scan) {
        return requestHash(scan).equals(earlier.getString(ScanFields.REQUEST_HASH)) ? Mono.empty()
                : Mono.error(new IllegalStateException("the Idempotency-Key " + scan.idempotencyKey()
                        + " was already used for a different request"));
    }

    private Mono<Void> writes(ClientSession session, ScanPayload scan) {
        Instant now = clock.instant();
        String scanId = ids.newId();
        return Mono.from(emails.findOneAndUpdate(session, emailFilter(scan), emailInsertOnly(ids.newId(), scan, now),
                        new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER)))
                .flatMap(email -> Mono.from(scans.insertOne(session,
                        scanDocument(scanId, email.getString(EmailFields.ID), scan, requestHash(scan), now))))
                .then(Mono.defer(() -> append(session, scanIngested(scan, scanId))))
                .then(Mono.defer(() -> scan.verdict() == Verdict.MALICIOUS ? append(session, threatDetected(scan, scanId))
                        : Mono.empty()))
                .then(Mono.defer(() -> Mono.from(users.updateOne(session, userFilter(scan.tenantId(), scan.userId()),
                        userUpdate(scan.verdict(), scan.scannedAt())))))
                .flatMap(counted -> counted.getMatchedCount() == 1 ? Mono.<Void>empty()
                        : Mono.error(new IllegalStateException("no active user " + scan.userId() + " in tenant "
                                + scan.tenantId())))
                .then(Mono.defer(() -> Mono.from(tenantStats.updateOne(session, tenantStatsFilter(scan.tenantId()),
                        tenantStatsUpdate(scan.verdict(), scan.scannedAt(), clock.instant()),
                        new UpdateOptions().upsert(true)))))
                .then();
    }

    /** The next link of the tenant's audit chain, after its head as this transaction's snapshot sees it. */
    private Mono<Void> append(ClientSession session, AuditEvent event) {
        return Mono.from(audit.find(session, auditHeadFilter(event.tenantId())).sort(AUDIT_HEAD_SORT).limit(1).first())
                .map(RawScanIngestion::chainHead)
                .map(head -> AuditChain.next(head, event, clock.instant(), ids.newId(), salt()))
                .switchIfEmpty(Mono.fromSupplier(() -> AuditChain.next(null, event, clock.instant(), ids.newId(), salt())))
                .flatMap(entry -> Mono.from(audit.insertOne(session, auditDocument(entry))))
                .then();
    }

    private static Mono<Void> commit(ClientSession session) {
        return retryingCommit(() -> Mono.from(session.commitTransaction()), System::nanoTime);
    }

    /**
     * CommitRetryingTransactionManager's rule: the commit sent again on the same session while its outcome is
     * unknown, but not after MaxTimeMSExpired and not once {@link #COMMIT_RETRY_BUDGET} has passed since the first
     * attempt; a commit still unknown then fails with its label, and {@link #rerunning} re-runs the unit.
     */
    static Mono<Void> retryingCommit(Supplier<Mono<Void>> commit, LongSupplier nanoTime) {
        return Mono.defer(() -> {
            long started = nanoTime.getAsLong();
            return Mono.defer(commit)
                    .retryWhen(Retry.backoff(COMMIT_RETRIES, COMMIT_FIRST_BACKOFF)
                            .filter(failure -> hasLabel(failure, MongoException.UNKNOWN_TRANSACTION_COMMIT_RESULT_LABEL)
                                    && !(failure instanceof MongoException mongo && mongo.getCode() == MAX_TIME_MS_EXPIRED)
                                    && nanoTime.getAsLong() - started < COMMIT_RETRY_BUDGET.toNanos())
                            .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
        }).then();
    }

    private static Mono<Void> abort(ClientSession session) {
        Mono<Void> aborted = session.hasActiveTransaction()
                ? Mono.from(session.abortTransaction()).onErrorResume(ignored -> Mono.empty()).then() : Mono.empty();
        return aborted.doFinally(signal -> session.close());
    }

    private byte[] salt() {
        byte[] salt = new byte[AuditChain.SALT_BYTES];
        random.nextBytes(salt);
        return salt;
    }

    private static boolean hasLabel(Throwable failure, String label) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof MongoException mongo && mongo.hasErrorLabel(label)) {
                return true;
            }
        }
        return false;
    }

    // ---- The documents, filters and updates; RawScanIngestionTest holds them equal to what Spring Data sends ----

    static final Document AUDIT_HEAD_SORT = new Document(AuditFields.SEQUENCE, -1);

    /** The scan stored under the key (ScanRepository.scanByIdempotencyKey). */
    static Document idempotencyFilter(String tenantId, String idempotencyKey) {
        return new Document(ScanFields.TENANT_ID, tenantId).append(ScanFields.IDEMPOTENCY_KEY, idempotencyKey);
    }

    static Document emailFilter(ScanPayload scan) {
        return new Document(EmailFields.TENANT_ID, scan.tenantId()).append(EmailFields.MESSAGE_ID, scan.messageId());
    }

    /** The email, written only when the message was not seen before (ScanRepository.insertOnly). */
    static Document emailInsertOnly(String emailId, ScanPayload scan, Instant now) {
        String sender = scan.sender().trim().toLowerCase(Locale.ROOT);
        return new Document("$setOnInsert", new Document(EmailFields.ID, emailId)
                .append(EmailFields.USER_ID, scan.userId())
                .append(EmailFields.SENDER, sender)
                .append(EmailFields.SENDER_DOMAIN, sender.substring(sender.lastIndexOf('@') + 1))
                .append(EmailFields.RECIPIENTS, scan.recipients().stream()
                        .map(recipient -> recipient.trim().toLowerCase(Locale.ROOT)).toList())
                .append(EmailFields.SUBJECT, scan.subject() == null ? "" : scan.subject())
                .append(EmailFields.RECEIVED_AT, Date.from(scan.receivedAt()))
                .append(EmailFields.SIZE_BYTES, scan.sizeBytes())
                .append(EmailFields.HASHES, new Document(scan.hashes()))
                .append(EmailFields.LEGAL_HOLD, false)
                .append(EmailFields.CREATED_AT, Date.from(now)));
    }

    static Document scanDocument(String scanId, String emailId, ScanPayload scan, String requestHash, Instant now) {
        String sender = scan.sender().trim().toLowerCase(Locale.ROOT);
        return new Document(ScanFields.ID, scanId)
                .append(ScanFields.TENANT_ID, scan.tenantId())
                .append(ScanFields.USER_ID, scan.userId())
                .append(ScanFields.EMAIL_ID, emailId)
                .append(ScanFields.SENDER, sender)
                .append(ScanFields.VERDICT, scan.verdict().name())
                .append(ScanFields.EFFECTIVE_VERDICT, scan.verdict().name())
                .append(ScanFields.SCORE, scan.score())
                .append(ScanFields.INDICATORS, scan.indicators().stream()
                        .map(indicator -> new Document("type", indicator.type()).append("value", indicator.value())
                                .append("weight", indicator.weight()))
                        .toList())
                .append(ScanFields.MODEL_VERSION, scan.modelVersion())
                .append(ScanFields.TIMINGS, new Document(scan.timings()))
                .append(ScanFields.IDEMPOTENCY_KEY, scan.idempotencyKey())
                .append(ScanFields.REQUEST_HASH, requestHash)
                .append(ScanFields.SCANNED_AT, Date.from(scan.scannedAt()))
                .append(ScanFields.LEGAL_HOLD, false)
                .append(ScanFields.CREATED_AT, Date.from(now))
                .append("_class", SCAN_CLASS);
    }

    static String requestHash(ScanPayload scan) {
        return Sha256.hex(scan.messageId());
    }

    /** Details added one by one with withDetail, as ScanService.auditIngestion adds them, so they come out the same. */
    static AuditEvent scanIngested(ScanPayload scan, String scanId) {
        return event(scan, AuditEventType.SCAN_INGESTED, scanId).withDetail("verdict", scan.verdict().name());
    }

    static AuditEvent threatDetected(ScanPayload scan, String scanId) {
        return event(scan, AuditEventType.THREAT_DETECTED, scanId)
                .withDetail("sender", scan.sender().trim().toLowerCase(Locale.ROOT))
                .withDetail("score", Double.toString(scan.score()));
    }

    private static AuditEvent event(ScanPayload scan, AuditEventType type, String scanId) {
        return new AuditEvent(scan.tenantId(), type, scan.actorId(), ScanFields.COLLECTION, scanId, AuditOutcome.SUCCESS,
                ScanPayload.CLIENT_IP, ScanPayload.USER_AGENT, scan.requestId(), Map.of());
    }

    static Document auditHeadFilter(String tenantId) {
        return new Document(AuditFields.TENANT_ID, tenantId);
    }

    /** Of the head's document, what the next link needs: its position and hash. */
    static AuditEntry chainHead(Document head) {
        return new AuditEntry(head.getString(AuditFields.ID), head.getString(AuditFields.TENANT_ID),
                ((Number) head.get(AuditFields.SEQUENCE)).longValue(), null, null, null, null, null, null, null, null,
                null, null, null, head.getString(AuditFields.HASH), null, null, null, null);
    }

    /** An audit entry as Spring Data writes it: every non-null field, enums by name, instants as dates. */
    static Document auditDocument(AuditEntry entry) {
        Document document = new Document(AuditFields.ID, entry.id());
        putPresent(document, AuditFields.TENANT_ID, entry.tenantId());
        document.append(AuditFields.SEQUENCE, entry.seq());
        putPresent(document, AuditFields.EVENT_TYPE, entry.eventType());
        putPresent(document, AuditFields.ACTOR_ID, entry.actorId());
        putPresent(document, AuditFields.TARGET_TYPE, entry.targetType());
        putPresent(document, AuditFields.TARGET_ID, entry.targetId());
        putPresent(document, AuditFields.OUTCOME, entry.outcome() == null ? null : entry.outcome().name());
        putPresent(document, AuditFields.IP, entry.ip());
        putPresent(document, AuditFields.USER_AGENT, entry.userAgent());
        putPresent(document, AuditFields.REQUEST_ID, entry.requestId());
        putPresent(document, AuditFields.DETAILS, entry.details() == null ? null : new Document(entry.details()));
        putPresent(document, AuditFields.AT, entry.at() == null ? null : Date.from(entry.at()));
        putPresent(document, AuditFields.PREVIOUS_HASH, entry.prevHash());
        putPresent(document, AuditFields.HASH, entry.hash());
        putPresent(document, AuditFields.VERSION, entry.v());
        putPresent(document, AuditFields.SALT, entry.salt());
        putPresent(document, AuditFields.PERSONAL_DIGEST, entry.personalDigest());
        putPresent(document, AuditFields.ERASED_AT, entry.erasedAt() == null ? null : Date.from(entry.erasedAt()));
        return document.append("_class", AUDIT_CLASS);
    }

    /** The user's counters move only while the user is not ERASED (UserRepository.notErased). */
    static Document userFilter(String tenantId, String userId) {
        return new Document(UserFields.TENANT_ID, tenantId).append(UserFields.ID, userId)
                .append(UserFields.STATUS, new Document("$ne", "ERASED"));
    }

    static Document userUpdate(Verdict verdict, Instant scannedAt) {
        return new Document("$inc", new Document(UserFields.STATS + ".total", 1)
                .append(UserFields.STATS + "." + verdict.name().toLowerCase(Locale.ROOT), 1))
                .append("$max", new Document(UserFields.STATS + ".lastScanAt", Date.from(scannedAt)));
    }

    static Document tenantStatsFilter(String tenantId) {
        return new Document(TenantStatsFields.ID, tenantId);
    }

    static Document tenantStatsUpdate(Verdict verdict, Instant scannedAt, Instant now) {
        String counter = switch (verdict) {
            case CLEAN -> TenantStatsFields.CLEAN;
            case SUSPICIOUS -> TenantStatsFields.SUSPICIOUS;
            case MALICIOUS -> TenantStatsFields.MALICIOUS;
        };
        return new Document("$inc", new Document(TenantStatsFields.TOTAL, 1).append(counter, 1))
                .append("$max", new Document(TenantStatsFields.LAST_SCAN_AT, Date.from(scannedAt)))
                .append("$set", new Document(TenantStatsFields.UPDATED_AT, Date.from(now)));
    }

    private static void putPresent(Document document, String field, Object value) {
        if (value != null) {
            document.append(field, value);
        }
    }
}
