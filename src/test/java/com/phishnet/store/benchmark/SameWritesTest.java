package com.phishnet.store.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

import com.phishnet.store.audit.AuditChain;
import com.phishnet.store.audit.AuditEntry;
import com.phishnet.store.scans.Verdict;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The probe's comparison, on the documents the raw side builds for two ingestions of the same scan a few
 * milliseconds apart (one with the HTTP side's key, as the service would store it but for the request fingerprint).
 */
class SameWritesTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00.123Z");
    private static final Instant LATER = NOW.plusMillis(37);
    private static final BenchTenant TENANT = new BenchTenant("t007", "scanner-7", "token", "u-7");

    private final ScanPayload overHttp = ScanPayload.of("http", "r1-probe", 0, TENANT, NOW);
    private final ScanPayload throughDriver = ScanPayload.of("raw", "r1-probe", 0, TENANT, LATER);

    @Test
    void twoIngestionsOfTheSameScanDifferOnlyWhereTheyMay() {
        // As the probe's: MALICIOUS, the verdict that writes the most.
        assertThat(overHttp.verdict()).isEqualTo(Verdict.MALICIOUS);
        assertThat(SameWrites.firstDifference(scan(overHttp, "s-1", "e-1", NOW), scan(throughDriver, "s-2", "e-2", LATER),
                SameWrites.SCAN_VARIES)).isEmpty();
        assertThat(SameWrites.firstDifference(email(overHttp, "e-1", NOW), email(throughDriver, "e-2", LATER),
                SameWrites.EMAIL_VARIES)).isEmpty();
        assertThat(SameWrites.firstDifference(audit(overHttp, "s-1", "a-1", NOW, 1),
                audit(throughDriver, "s-2", "a-2", LATER, 2), SameWrites.AUDIT_VARIES)).isEmpty();
    }

    @Test
    void aValueThatMayNotVaryIsNamedWithBothSides() {
        Document driver = scan(throughDriver, "s-2", "e-2", LATER);
        driver.put("score", 0.5);

        assertThat(SameWrites.firstDifference(scan(overHttp, "s-1", "e-1", NOW), driver, SameWrites.SCAN_VARIES))
                .hasValue("first difference at score: over HTTP 0.97 (DOUBLE), through the driver 0.5 (DOUBLE)");
    }

    @Test
    void theFirstDifferingPathIsNamedInsideArraysAndDocuments() {
        Document driver = scan(throughDriver, "s-2", "e-2", LATER);
        driver.getList("indicators", Document.class).get(1).put("weight", 0.41);
        driver.get("timings", Document.class).put("model", 13L);

        assertThat(SameWrites.firstDifference(scan(overHttp, "s-1", "e-1", NOW), driver, SameWrites.SCAN_VARIES))
                .hasValueSatisfying(difference -> assertThat(difference).startsWith("first difference at indicators.1"
                        + ".weight: over HTTP 0.4 (DOUBLE), through the driver 0.41 (DOUBLE)"));

        Document shorter = scan(throughDriver, "s-2", "e-2", LATER);
        shorter.put("indicators", shorter.getList("indicators", Document.class).subList(0, 1));
        assertThat(SameWrites.firstDifference(scan(overHttp, "s-1", "e-1", NOW), shorter, SameWrites.SCAN_VARIES))
                .hasValue("first difference at indicators: over HTTP an array of 2, through the driver an array of 1");
    }

    @Test
    void fieldsThatMayVaryStillKeepTheirBsonTypeAndPresence() {
        Document retyped = scan(throughDriver, "s-2", "e-2", LATER);
        retyped.put("createdAt", LATER.toString());
        Document missing = scan(throughDriver, "s-2", "e-2", LATER);
        missing.remove("requestHash");
        Document int64 = scan(throughDriver, "s-2", "e-2", LATER);
        int64.get("timings", Document.class).put("total", 30);

        assertThat(SameWrites.firstDifference(scan(overHttp, "s-1", "e-1", NOW), retyped, SameWrites.SCAN_VARIES))
                .hasValueSatisfying(difference -> assertThat(difference).startsWith("first difference at createdAt:")
                        .endsWith("(STRING)"));
        assertThat(SameWrites.firstDifference(scan(overHttp, "s-1", "e-1", NOW), missing, SameWrites.SCAN_VARIES))
                .hasValueSatisfying(difference -> assertThat(difference).startsWith("first difference at requestHash:")
                        .endsWith("through the driver absent"));
        assertThat(SameWrites.firstDifference(scan(overHttp, "s-1", "e-1", NOW), int64, SameWrites.SCAN_VARIES))
                .hasValue("first difference at timings.total: over HTTP 30 (INT64), through the driver 30 (INT32)");
    }

    @Test
    void theAuditEntriesCompareTheirDetailsActorAndClientButNotTheirPlaceInTheChain() {
        Document driver = audit(throughDriver, "s-2", "a-2", LATER, 2);
        driver.get("details", Document.class).put("verdict", "CLEAN");

        assertThat(SameWrites.firstDifference(audit(overHttp, "s-1", "a-1", NOW, 1), driver, SameWrites.AUDIT_VARIES))
                .hasValueSatisfying(difference -> assertThat(difference).startsWith("first difference at details.verdict"));

        Document elsewhere = audit(throughDriver, "s-2", "a-2", LATER, 2);
        elsewhere.put("ip", "::1");
        assertThat(SameWrites.firstDifference(audit(overHttp, "s-1", "a-1", NOW, 1), elsewhere, SameWrites.AUDIT_VARIES))
                .hasValueSatisfying(difference -> assertThat(difference).startsWith("first difference at ip"));
    }

    @Test
    void eachCounterMustMoveAsFarOnBothSides() {
        Document afterHttp = stats(1, 1, NOW);
        Document afterDriver = stats(2, 2, LATER);

        assertThat(SameWrites.firstCounterDifference(null, afterHttp, afterDriver, SameWrites.TENANT_STATS_CLOCK)).isEmpty();
        assertThat(SameWrites.moved(null, afterHttp, "total")).isEqualTo(1);

        assertThat(SameWrites.firstCounterDifference(null, afterHttp, stats(2, 1, LATER), SameWrites.TENANT_STATS_CLOCK))
                .hasValue("first difference at malicious: moved by 1 over HTTP, by 0 through the driver");

        Document anotherCounter = stats(2, 2, LATER).append("clean", 1);
        assertThat(SameWrites.firstCounterDifference(null, afterHttp, anotherCounter, SameWrites.TENANT_STATS_CLOCK))
                .hasValue("first difference at clean: absent after the ingestion over HTTP, 1 (INT32) after the one"
                        + " through the driver");

        Document retyped = stats(2, 2, LATER).append("total", 2L);
        assertThat(SameWrites.firstCounterDifference(null, afterHttp, retyped, SameWrites.TENANT_STATS_CLOCK))
                .hasValueSatisfying(difference -> assertThat(difference).startsWith("first difference at total:"));
    }

    @Test
    void theUsersCountersAndOtherFieldsAreComparedButNotTheTimesTheClockSet() {
        Document before = user(3, 0, NOW.minusSeconds(60), "ACTIVE");
        Document afterHttp = user(4, 1, NOW, "ACTIVE");

        assertThat(SameWrites.firstCounterDifference(before, afterHttp, user(5, 2, LATER, "ACTIVE"),
                SameWrites.USER_CLOCK)).isEmpty();
        assertThat(SameWrites.moved(before, afterHttp, "stats.total")).isEqualTo(1);
        assertThat(SameWrites.firstCounterDifference(before, afterHttp, user(6, 2, LATER, "ACTIVE"),
                SameWrites.USER_CLOCK)).hasValue("first difference at stats.total: moved by 1 over HTTP, by 2 through"
                        + " the driver");
        assertThat(SameWrites.firstCounterDifference(before, afterHttp, user(5, 2, LATER, "ERASED"),
                SameWrites.USER_CLOCK)).hasValueSatisfying(difference -> assertThat(difference)
                        .startsWith("first difference at status:"));
    }

    private static Document scan(ScanPayload payload, String scanId, String emailId, Instant now) {
        return RawScanIngestion.scanDocument(scanId, emailId, payload, RawScanIngestion.requestHash(payload), now);
    }

    private static Document email(ScanPayload payload, String emailId, Instant now) {
        return new Document(RawScanIngestion.emailInsertOnly(emailId, payload, now).get("$setOnInsert", Document.class))
                .append("tenantId", payload.tenantId()).append("messageId", payload.messageId());
    }

    /** The entry of the scan's ingestion after {@code earlier} entries of the tenant's chain. */
    private static Document audit(ScanPayload payload, String scanId, String id, Instant now, int earlier) {
        AuditEntry head = null;
        for (int i = 0; i < earlier; i++) {
            head = AuditChain.next(head, RawScanIngestion.scanIngested(payload, "s-0" + i), now, "a-0" + i,
                    salt((byte) i));
        }
        return RawScanIngestion.auditDocument(AuditChain.next(head, RawScanIngestion.scanIngested(payload, scanId), now,
                id, salt((byte) (10 + earlier))));
    }

    private static Document stats(int total, int malicious, Instant at) {
        return new Document("_id", TENANT.tenantId()).append("total", total).append("malicious", malicious)
                .append("lastScanAt", Date.from(at)).append("updatedAt", Date.from(at.plusMillis(5)))
                .append("_class", "com.phishnet.store.analytics.TenantStats");
    }

    private static Document user(int total, int malicious, Instant lastScan, String status) {
        return new Document("_id", TENANT.userId()).append("tenantId", TENANT.tenantId()).append("status", status)
                .append("roles", List.of("USER"))
                .append("stats", new Document("total", total).append("malicious", malicious)
                        .append("lastScanAt", Date.from(lastScan)));
    }

    private static byte[] salt(byte value) {
        byte[] salt = new byte[AuditChain.SALT_BYTES];
        Arrays.fill(salt, value);
        return salt;
    }
}
