package com.phishnet.store.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import jakarta.validation.Validation;
import jakarta.validation.Validator;

import com.mongodb.MongoClientSettings;
import com.mongodb.TransactionOptions;
import com.phishnet.store.audit.AuditChain;
import com.phishnet.store.audit.AuditEntry;
import com.phishnet.store.audit.AuditEvent;
import com.phishnet.store.platform.mongo.StoreMongoProperties;
import com.phishnet.store.scans.EmailMeta;
import com.phishnet.store.scans.ScanRequests.IngestScan;
import com.phishnet.store.scans.ScanResult;
import com.phishnet.store.scans.Verdict;
import com.phishnet.store.support.RenderedBson;
import com.phishnet.store.users.User;
import com.phishnet.store.users.VerdictCounter;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.mongodb.core.convert.QueryMapper;
import org.springframework.data.mongodb.core.convert.UpdateMapper;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

/**
 * The raw side of the ingestion benchmark writes exactly what the service writes: each filter, update and document
 * equals, value for value and BSON type for BSON type, what Spring Data sends for the service's own query, update
 * or record (the repositories' package-private builders, called by reflection). And the HTTP side's body is a
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
        StoreMongoProperties properties = new StoreMongoProperties(Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(60), 100, 0, Duration.ofSeconds(5), Duration.ofSeconds(7), Duration.ofSeconds(9),
                new StoreMongoProperties.Embedded(false, "8.0", 27027, Path.of(".data"), "rs0", Duration.ofSeconds(60)));

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
