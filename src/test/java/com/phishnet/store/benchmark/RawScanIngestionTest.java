package com.phishnet.store.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import jakarta.validation.Validation;
import jakarta.validation.Validator;

import com.mongodb.ClientSessionOptions;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.TransactionOptions;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.reactivestreams.client.ClientSession;
import com.mongodb.reactivestreams.client.FindPublisher;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.phishnet.store.analytics.TenantStatsFields;
import com.phishnet.store.audit.AuditChain;
import com.phishnet.store.audit.AuditEntry;
import com.phishnet.store.audit.AuditEvent;
import com.phishnet.store.audit.AuditEventType;
import com.phishnet.store.audit.AuditFields;
import com.phishnet.store.platform.mongo.StoreMongoProperties;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.scans.EmailFields;
import com.phishnet.store.scans.EmailMeta;
import com.phishnet.store.scans.ScanRequests.IngestScan;
import com.phishnet.store.scans.ScanFields;
import com.phishnet.store.scans.ScanResult;
import com.phishnet.store.scans.Verdict;
import com.phishnet.store.support.RenderedBson;
import com.phishnet.store.users.User;
import com.phishnet.store.users.UserFields;
import com.phishnet.store.users.VerdictCounter;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.mongodb.core.convert.QueryMapper;
import org.springframework.data.mongodb.core.convert.UpdateMapper;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.transaction.reactive.TransactionCallback;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * The raw side of the ingestion benchmark writes exactly what the service writes: each filter, update and document
 * equals, value for value and BSON type for BSON type, what Spring Data sends for the service's own query, update
 * or record (the repositories' package-private builders, called by reflection). It re-runs the unit and re-sends
 * the commit on the failures the service does, as often and within the same budget. And the HTTP side's body is a
 * valid ingestion request carrying the same values.
 */
class RawScanIngestionTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00.123Z");
    private static final BenchTenant TENANT = new BenchTenant("t007", "scanner-7", "token", "u-7");

    private final ScanPayload malicious = ScanPayload.of("raw", "r1", 10, TENANT, NOW);
    private final ScanPayload clean = ScanPayload.of("raw", "r1", 13, TENANT, NOW);

    @Test
    void theEmailIsUpsertedByTheServicesFilterWithTheServicesInsertOnlyUpdate() {
        EmailMeta email = new EmailMeta("e-1", TENANT.tenantId(), TENANT.userId(), malicious.messageId(),
                malicious.sender(), malicious.sender().substring(malicious.sender().indexOf('@') + 1),
                malicious.recipients(), malicious.subject(), malicious.receivedAt(), malicious.sizeBytes(),
                malicious.hashes(), false, NOW);

        assertThat(bson(RawScanIngestion.emailFilter(malicious))).isEqualTo(bson(filter(
                call("com.phishnet.store.scans.ScanRepository", "emailByMessageId", TENANT.tenantId(),
                        malicious.messageId()), EmailMeta.class)));
        assertThat(bson(RawScanIngestion.emailInsertOnly("e-1", malicious, NOW))).isEqualTo(bson(update(
                call("com.phishnet.store.scans.ScanRepository", "insertOnly", email), EmailMeta.class)));
    }

    @Test
    void theScanDocumentIsWhatSpringDataWritesForTheServicesScanResult() {
        ScanResult scan = new ScanResult("s-1", TENANT.tenantId(), TENANT.userId(), "e-1", malicious.sender(),
                Verdict.MALICIOUS, Verdict.MALICIOUS, malicious.score(), malicious.indicators().stream()
                        .map(indicator -> new ScanResult.Indicator(indicator.type(), indicator.value(), indicator.weight()))
                        .toList(),
                malicious.modelVersion(), malicious.timings(), malicious.idempotencyKey(),
                RawScanIngestion.requestHash(malicious), malicious.scannedAt(), false, NOW);

        Document raw = RawScanIngestion.scanDocument("s-1", "e-1", malicious, RawScanIngestion.requestHash(malicious), NOW);

        assertThat(bson(raw)).isEqualTo(bson(RenderedBson.document(scan)));
        assertThat(raw.getString(com.phishnet.store.scans.ScanFields.REQUEST_HASH)).hasSize(64);
    }

    @Test
    void auditEntriesAreWhatSpringDataWritesAndChainOnTheHeadAsTheServiceReadsIt() {
        AuditEvent event = RawScanIngestion.threatDetected(malicious, "s-1");
        AuditEntry first = AuditChain.next(null, RawScanIngestion.scanIngested(malicious, "s-1"), NOW, "a-1", salt());
        AuditEntry second = AuditChain.next(first, event, NOW, "a-2", salt());

        assertThat(bson(RawScanIngestion.auditDocument(first))).isEqualTo(bson(RenderedBson.document(first)));
        assertThat(bson(RawScanIngestion.auditDocument(second))).isEqualTo(bson(RenderedBson.document(second)));
        AuditEntry head = RawScanIngestion.chainHead(RawScanIngestion.auditDocument(first));
        assertThat(AuditChain.next(head, event, NOW, "a-2", salt())).isEqualTo(second);

        Query last = (Query) call("com.phishnet.store.audit.AuditRepository", "lastQuery", TENANT.tenantId());
        assertThat(bson(RawScanIngestion.auditHeadFilter(TENANT.tenantId()))).isEqualTo(bson(filter(last, AuditEntry.class)));
        assertThat(bson(RawScanIngestion.AUDIT_HEAD_SORT)).isEqualTo(bson(new QueryMapper(RenderedBson.converter())
                .getMappedSort(last.getSortObject(), entity(AuditEntry.class))));
        assertThat(last.getLimit()).isEqualTo(1);
    }

    @Test
    void aThreatIsAuditedWithTheSenderAndScoreTheServiceRecords() {
        assertThat(RawScanIngestion.threatDetected(malicious, "s-1").details())
                .isEqualTo(Map.of("sender", malicious.sender(), "score", Double.toString(malicious.score())));
        assertThat(RawScanIngestion.scanIngested(clean, "s-2").details()).isEqualTo(Map.of("verdict", "CLEAN"));
    }

    /** The events ScanService.auditIngestion records for the same caller, details in the same order. */
    @Test
    void theAuditEventsAreTheServicesWithTheirDetailsInTheSameOrder() {
        Caller scanner = new Caller(TENANT.scannerSubject(), TENANT.tenantId(), Set.of(), Set.of("scans:write"),
                ScanPayload.CLIENT_IP, ScanPayload.USER_AGENT, malicious.requestId());
        AuditEvent ingested = AuditEvent.of(scanner, AuditEventType.SCAN_INGESTED, ScanFields.COLLECTION, "s-1")
                .withDetail("verdict", "MALICIOUS");
        AuditEvent threat = AuditEvent.of(scanner, AuditEventType.THREAT_DETECTED, ScanFields.COLLECTION, "s-1")
                .withDetail("sender", malicious.sender()).withDetail("score", Double.toString(malicious.score()));
        AuditEvent raw = RawScanIngestion.threatDetected(malicious, "s-1");

        assertThat(RawScanIngestion.scanIngested(malicious, "s-1")).isEqualTo(ingested);
        assertThat(raw).isEqualTo(threat);
        assertThat(List.copyOf(raw.details().keySet())).isEqualTo(List.copyOf(threat.details().keySet()));
        // BsonDocument equality ignores the order of keys; the stored order is the one written.
        AuditEntry entry = AuditChain.next(null, raw, NOW, "a-1", salt());
        assertThat(List.copyOf(RawScanIngestion.auditDocument(entry).get(AuditFields.DETAILS, Document.class).keySet()))
                .isEqualTo(List.copyOf(RenderedBson.document(entry).get(AuditFields.DETAILS, Document.class).keySet()));
    }

    @Test
    void theIdempotencyLookUpIsTheServicesQuery() {
        assertThat(bson(RawScanIngestion.idempotencyFilter(TENANT.tenantId(), malicious.idempotencyKey())))
                .isEqualTo(bson(filter(call("com.phishnet.store.scans.ScanRepository", "byIdempotencyKey",
                        TENANT.tenantId(), malicious.idempotencyKey()), ScanResult.class)));
    }

    /**
     * Over mocked driver interfaces that only record the calls: the look-up by key is the unit's first operation, in
     * the transaction's session, and a scan found under the key ends the unit before any write, and it commits.
     */
    @Test
    void theUnitLooksTheKeyUpFirstAndWritesNothingWhenItFindsTheScan() {
        Driver driver = new Driver();
        Document earlier = RawScanIngestion.scanDocument("s-1", "e-1", malicious, RawScanIngestion.requestHash(malicious),
                NOW);
        given(driver.lookUp.first()).willReturn(Mono.just(earlier));

        StepVerifier.create(driver.ingestion().ingest(malicious)).verifyComplete();

        then(driver.scans).should().find(driver.session,
                RawScanIngestion.idempotencyFilter(TENANT.tenantId(), malicious.idempotencyKey()));
        then(driver.lookUp).should().limit(1);
        then(driver.scans).shouldHaveNoMoreInteractions();
        then(driver.emails).shouldHaveNoInteractions();
        then(driver.audit).shouldHaveNoInteractions();
        then(driver.users).shouldHaveNoInteractions();
        then(driver.stats).shouldHaveNoInteractions();
        then(driver.session).should().commitTransaction();
    }

    @Test
    void withoutAScanUnderTheKeyTheWritesFollowTheLookUp() {
        Driver driver = new Driver();
        given(driver.lookUp.first()).willReturn(Mono.empty());
        given(driver.emails.findOneAndUpdate(any(ClientSession.class), any(Bson.class), any(Bson.class),
                any(FindOneAndUpdateOptions.class))).willReturn(Mono.error(new IllegalStateException("stop here")));

        StepVerifier.create(driver.ingestion().ingest(malicious)).expectErrorMessage("stop here").verify();

        InOrder order = inOrder(driver.scans, driver.emails);
        order.verify(driver.scans).find(driver.session,
                RawScanIngestion.idempotencyFilter(TENANT.tenantId(), malicious.idempotencyKey()));
        order.verify(driver.emails).findOneAndUpdate(eq(driver.session), eq(RawScanIngestion.emailFilter(malicious)),
                any(Bson.class), any(FindOneAndUpdateOptions.class));
    }

    @Test
    void aKnownKeyEndsTheUnitAndAKnownKeyOfAnotherRequestIsRefused() {
        Document stored = RawScanIngestion.scanDocument("s-1", "e-1", malicious, RawScanIngestion.requestHash(malicious),
                NOW);
        Document other = RawScanIngestion.scanDocument("s-1", "e-1", malicious, RawScanIngestion.requestHash(clean), NOW);

        StepVerifier.create(RawScanIngestion.replayed(stored, malicious)).verifyComplete();
        StepVerifier.create(RawScanIngestion.replayed(other, malicious))
                .expectErrorSatisfies(failure -> assertThat(failure).hasMessageContaining("different request"))
                .verify();
    }

    @Test
    void theRetryLimitsAreTheServices() {
        assertThat(RawScanIngestion.MAX_RETRIES).isEqualTo(constant(TRANSACTIONS, "MAX_RETRIES"));
        assertThat(RawScanIngestion.COMMIT_RETRIES).isEqualTo(constant(COMMIT_RETRYING, "COMMIT_RETRIES"));
        assertThat(RawScanIngestion.COMMIT_RETRY_BUDGET).isEqualTo(constant(COMMIT_RETRYING, "COMMIT_RETRY_BUDGET"));
    }

    /** Each failure once, then success: the raw side re-runs the unit exactly when Transactions.runIdempotent does. */
    @Test
    void theUnitIsRunAgainOnTheFailuresTheServiceRunsItAgainOn() {
        Transactions service = new Transactions(new PassThrough());
        for (Map.Entry<String, Throwable> failure : failures().entrySet()) {
            AtomicInteger rawRuns = new AtomicInteger();
            AtomicInteger serviceRuns = new AtomicInteger();

            RawScanIngestion.rerunning(() -> rawRuns.incrementAndGet() == 1 ? Mono.error(failure.getValue())
                    : Mono.empty()).onErrorResume(ignored -> Mono.empty()).block(Duration.ofSeconds(10));
            service.runIdempotent("t", () -> serviceRuns.incrementAndGet() == 1 ? Mono.error(failure.getValue())
                    : Mono.empty()).onErrorResume(ignored -> Mono.empty()).block(Duration.ofSeconds(10));

            assertThat(rawRuns).as(failure.getKey()).hasValue(serviceRuns.get());
        }
        assertThat(RawScanIngestion.rerunsTheUnit(failures().get("unknown commit outcome"))).isTrue();
        assertThat(RawScanIngestion.rerunsTheUnit(failures().get("transient"))).isTrue();
        assertThat(RawScanIngestion.rerunsTheUnit(failures().get("write conflict without a label"))).isFalse();
    }

    /**
     * Scripted commits through both rules, the raw side's and CommitRetryingTransactionManager's: as many commits
     * sent each time. The clock is a counter, so the budget is spent without waiting for it.
     */
    @Test
    void theCommitIsSentAgainByTheServicesRuleWithinTheServicesBudget() {
        MongoException expired = new MongoException(50, "MaxTimeMSExpired");
        expired.addLabel(MongoException.UNKNOWN_TRANSACTION_COMMIT_RESULT_LABEL);
        long budget = RawScanIngestion.COMMIT_RETRY_BUDGET.toNanos();
        record Script(String name, int failures, Throwable failure, long nanosPerCommit, int commits) {
        }
        List<Script> scripts = List.of(
                new Script("unknown twice", 2, unknownOutcome(), 0, 3),
                new Script("unknown every time", 10, unknownOutcome(), 0, 1 + RawScanIngestion.COMMIT_RETRIES),
                new Script("unknown behind a wrapper", 1, new RuntimeException("commit", unknownOutcome()), 0, 2),
                new Script("MaxTimeMSExpired", 10, expired, 0, 1),
                new Script("known failure", 10, new MongoException(112, "WriteConflict"), 0, 1),
                new Script("unknown, budget spent by the first commit", 10, unknownOutcome(), budget, 1),
                new Script("unknown, budget spent by the second commit", 10, unknownOutcome(), budget / 2, 2));
        for (Script script : scripts) {
            AtomicInteger raw = new AtomicInteger();
            AtomicInteger service = new AtomicInteger();
            AtomicLong rawClock = new AtomicLong();
            AtomicLong serviceClock = new AtomicLong();

            RawScanIngestion.retryingCommit(() -> scripted(raw, rawClock, script.nanosPerCommit(), script.failures(),
                    script.failure()), rawClock::get).onErrorResume(ignored -> Mono.empty()).block(Duration.ofSeconds(10));
            @SuppressWarnings("unchecked")
            Mono<Void> serviceCommit = (Mono<Void>) call(COMMIT_RETRYING, "retryingUnknownOutcome",
                    (Supplier<Mono<Void>>) () -> scripted(service, serviceClock, script.nanosPerCommit(),
                            script.failures(), script.failure()), (LongSupplier) serviceClock::get);
            serviceCommit.onErrorResume(ignored -> Mono.empty()).block(Duration.ofSeconds(10));

            assertThat(raw).as(script.name()).hasValue(script.commits());
            assertThat(service).as(script.name() + ", the service's rule").hasValue(script.commits());
        }
    }

    @Test
    void theUsersCountersMoveWithTheServicesFilterAndUpdate() {
        assertThat(bson(RawScanIngestion.userFilter(TENANT.tenantId(), TENANT.userId()))).isEqualTo(bson(filter(
                call("com.phishnet.store.users.UserRepository", "notErased", TENANT.tenantId(), TENANT.userId()),
                User.class)));
        for (Verdict verdict : Verdict.values()) {
            assertThat(bson(RawScanIngestion.userUpdate(verdict, malicious.scannedAt()))).as(verdict.name())
                    .isEqualTo(bson(update(call("com.phishnet.store.users.UserRepository", "scanCounted",
                            VerdictCounter.valueOf(verdict.name()), malicious.scannedAt()), User.class)));
        }
    }

    @Test
    void theTenantsCountersMoveWithTheServicesFilterAndUpsert() throws Exception {
        Class<?> stats = Class.forName("com.phishnet.store.analytics.TenantStats");
        assertThat(bson(RawScanIngestion.tenantStatsFilter(TENANT.tenantId()))).isEqualTo(bson(filter(
                call("com.phishnet.store.analytics.TenantStatsRepository", "byTenant", TENANT.tenantId()), stats)));
        for (Verdict verdict : Verdict.values()) {
            assertThat(bson(RawScanIngestion.tenantStatsUpdate(verdict, malicious.scannedAt(), NOW))).as(verdict.name())
                    .isEqualTo(bson(update(call("com.phishnet.store.analytics.TenantStatsRepository", "scanCounted",
                            verdict, malicious.scannedAt(), NOW), stats)));
        }
    }

    @Test
    void theTransactionHasTheServicesOptions() {
        StoreMongoProperties properties = properties();

        TransactionOptions service = (TransactionOptions) call("com.phishnet.store.platform.mongo.MongoClientConfig",
                "transactionOptions", properties);

        assertThat(RawScanIngestion.transactionOptions(properties)).isEqualTo(service);
    }

    @Test
    void theHttpBodyIsAValidIngestionRequestWithTheSameValues() {
        // Now, not NOW: the service refuses times in its future.
        Instant now = Instant.now();
        for (ScanPayload payload : new ScanPayload[] {ScanPayload.of("http", "r1", 10, TENANT, now),
                ScanPayload.of("http", "r1", 11, TENANT, now), ScanPayload.of("http", "r1", 13, TENANT, now)}) {
            IngestScan request = JsonMapper.builder().build().readValue(payload.json(), IngestScan.class);

            assertThat(validator().validate(request)).as(payload.json()).isEmpty();
            assertThat(request.userId()).isEqualTo(TENANT.userId());
            assertThat(request.email().messageId()).isEqualTo(payload.messageId());
            assertThat(request.email().sender()).isEqualTo(payload.sender());
            assertThat(request.email().recipients()).isEqualTo(payload.recipients());
            assertThat(request.email().receivedAt()).isEqualTo(payload.receivedAt());
            assertThat(request.email().sizeBytes()).isEqualTo(payload.sizeBytes());
            assertThat(request.email().hashes()).isEqualTo(payload.hashes());
            assertThat(request.result().verdict()).isEqualTo(payload.verdict());
            assertThat(request.result().score()).isEqualTo(payload.score());
            assertThat(request.result().indicators()).hasSize(payload.indicators().size());
            assertThat(request.result().indicators().get(0).value()).isEqualTo(payload.indicators().get(0).value());
            assertThat(request.result().timings()).isEqualTo(payload.timings());
            assertThat(request.result().scannedAt()).isEqualTo(payload.scannedAt());
        }
    }

    @Test
    void oneScanInTenIsMaliciousAndTwoAreSuspicious() {
        long malicious = 0;
        long suspicious = 0;
        for (long sequence = 0; sequence < 1000; sequence++) {
            Verdict verdict = ScanPayload.of("http", "r1", sequence, TENANT, NOW).verdict();
            malicious += verdict == Verdict.MALICIOUS ? 1 : 0;
            suspicious += verdict == Verdict.SUSPICIOUS ? 1 : 0;
        }

        assertThat(malicious).isEqualTo(100);
        assertThat(suspicious).isEqualTo(200);
    }

    /** The driver's interfaces as mocks that record what the raw side calls; no server behind them. */
    @SuppressWarnings("unchecked")
    private static final class Driver {

        final MongoClient client = mock(MongoClient.class);
        final MongoDatabase database = mock(MongoDatabase.class);
        final ClientSession session = mock(ClientSession.class);
        final MongoCollection<Document> scans = mock(MongoCollection.class);
        final MongoCollection<Document> emails = mock(MongoCollection.class);
        final MongoCollection<Document> audit = mock(MongoCollection.class);
        final MongoCollection<Document> users = mock(MongoCollection.class);
        final MongoCollection<Document> stats = mock(MongoCollection.class);
        final FindPublisher<Document> lookUp = mock(FindPublisher.class);

        Driver() {
            given(client.getDatabase("bench")).willReturn(database);
            given(database.getCollection(ScanFields.COLLECTION)).willReturn(scans);
            given(database.getCollection(EmailFields.COLLECTION)).willReturn(emails);
            given(database.getCollection(AuditFields.COLLECTION)).willReturn(audit);
            given(database.getCollection(UserFields.COLLECTION)).willReturn(users);
            given(database.getCollection(TenantStatsFields.COLLECTION)).willReturn(stats);
            given(client.startSession(any(ClientSessionOptions.class))).willReturn(Mono.just(session));
            given(session.commitTransaction()).willReturn(Mono.empty());
            given(scans.find(any(ClientSession.class), any(Bson.class))).willReturn(lookUp);
            given(lookUp.limit(1)).willReturn(lookUp);
        }

        RawScanIngestion ingestion() {
            return new RawScanIngestion(client, "bench", properties(), Clock.fixed(NOW, ZoneOffset.UTC),
                    () -> "id-" + System.nanoTime(), new SecureRandom());
        }
    }

    private static StoreMongoProperties properties() {
        return new StoreMongoProperties(Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(60), 100, 0, Duration.ofSeconds(5), Duration.ofSeconds(7), Duration.ofSeconds(9),
                new StoreMongoProperties.Embedded(false, "8.0", 27027, Path.of(".data"), "rs0", Duration.ofSeconds(60)));
    }

    private static final String TRANSACTIONS = "com.phishnet.store.platform.mongo.Transactions";
    private static final String COMMIT_RETRYING = "com.phishnet.store.platform.mongo.CommitRetryingTransactionManager";

    /** Failures of a unit, by what MongoDB said of them. */
    private static Map<String, Throwable> failures() {
        Map<String, Throwable> failures = new LinkedHashMap<>();
        failures.put("transient", labelled(MongoException.TRANSIENT_TRANSACTION_ERROR_LABEL));
        failures.put("unknown commit outcome", unknownOutcome());
        failures.put("unknown commit outcome behind a wrapper", new RuntimeException("commit", unknownOutcome()));
        failures.put("write conflict without a label", new MongoException(112, "WriteConflict"));
        failures.put("not MongoDB's", new IllegalStateException("no active user"));
        return failures;
    }

    private static MongoException unknownOutcome() {
        return labelled(MongoException.UNKNOWN_TRANSACTION_COMMIT_RESULT_LABEL);
    }

    private static MongoException labelled(String label) {
        MongoException failure = new MongoException(91, "ShutdownInProgress");
        failure.addLabel(label);
        return failure;
    }

    /** A commit that fails {@code failures} times, each attempt taking {@code nanos} of the clock. */
    private static Mono<Void> scripted(AtomicInteger commits, AtomicLong clock, long nanos, int failures,
            Throwable failure) {
        clock.addAndGet(nanos);
        return commits.incrementAndGet() <= failures ? Mono.error(failure) : Mono.empty();
    }

    private static Object constant(String owner, String name) {
        try {
            Field field = Class.forName(owner).getDeclaredField(name);
            field.setAccessible(true);
            return field.get(null);
        }
        catch (ReflectiveOperationException failure) {
            throw new AssertionError(owner + "." + name + " is gone: the raw side must follow the service's change",
                    failure);
        }
    }

    /** Passes the unit through: which failures re-run it is Transactions' own decision. */
    private static final class PassThrough implements TransactionalOperator {

        @Override
        public <T> Flux<T> execute(TransactionCallback<T> action) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> Mono<T> transactional(Mono<T> mono) {
            return mono;
        }
    }

    /**
     * As the driver encodes it: BSON types compared exactly (an int32 is no int64), whatever Java map or list
     * carried the values.
     */
    private static BsonDocument bson(Document document) {
        return document.toBsonDocument(Document.class, MongoClientSettings.getDefaultCodecRegistry());
    }

    private static Validator validator() {
        return Validation.buildDefaultValidatorFactory().getValidator();
    }

    private static byte[] salt() {
        byte[] salt = new byte[AuditChain.SALT_BYTES];
        Arrays.fill(salt, (byte) 7);
        return salt;
    }

    private static Document filter(Object query, Class<?> entity) {
        return new QueryMapper(RenderedBson.converter()).getMappedObject(((Query) query).getQueryObject(), entity(entity));
    }

    private static Document update(Object update, Class<?> entity) {
        return new UpdateMapper(RenderedBson.converter()).getMappedObject(((Update) update).getUpdateObject(),
                entity(entity));
    }

    private static org.springframework.data.mongodb.core.mapping.MongoPersistentEntity<?> entity(Class<?> type) {
        return RenderedBson.converter().getMappingContext().getRequiredPersistentEntity(type);
    }

    /** A package-private static builder of the service, called as the service calls it. */
    private static Object call(String owner, String method, Object... arguments) {
        try {
            Optional<Method> found = Arrays.stream(Class.forName(owner).getDeclaredMethods())
                    .filter(candidate -> candidate.getName().equals(method)
                            && candidate.getParameterCount() == arguments.length
                            && java.lang.reflect.Modifier.isStatic(candidate.getModifiers()))
                    .findFirst();
            Method builder = found.orElseThrow(() -> new AssertionError(owner + "." + method + " with "
                    + arguments.length + " arguments is gone: the raw side must follow the service's change"));
            builder.setAccessible(true);
            return builder.invoke(null, arguments);
        }
        catch (ReflectiveOperationException failure) {
            throw new AssertionError("cannot call " + owner + "." + method, failure);
        }
    }
}
