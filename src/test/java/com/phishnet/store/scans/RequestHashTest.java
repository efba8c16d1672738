package com.phishnet.store.scans;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The idempotency fingerprint of a scan: what was asked, not how the JSON happened to be ordered. */
class RequestHashTest {

    private static final Instant RECEIVED = Instant.parse("2026-12-01T09:00:00Z");
    private static final Instant SCANNED = Instant.parse("2026-12-01T09:00:05Z");

    @Test
    void mapKeyOrderDoesNotChangeTheRequest() {
        var first = request(ordered("sha256", "ab".repeat(32), "md5", "cd".repeat(16)), ordered("parse", 3L, "model", 9L));
        var reordered = request(ordered("md5", "cd".repeat(16), "sha256", "ab".repeat(32)),
                ordered("model", 9L, "parse", 3L));

        assertThat(ScanService.requestHash(reordered)).isEqualTo(ScanService.requestHash(first)).hasSize(64);
    }

    @Test
    void anyDifferenceInContentIsAnotherRequest() {
        var base = request(Map.of("md5", "cd".repeat(16)), Map.of("parse", 3L));

        assertThat(ScanService.requestHash(request(Map.of("md5", "ce".repeat(16)), Map.of("parse", 3L))))
                .isNotEqualTo(ScanService.requestHash(base));
        assertThat(ScanService.requestHash(request(Map.of("md5", "cd".repeat(16)), Map.of("parse", 4L))))
                .isNotEqualTo(ScanService.requestHash(base));
        assertThat(ScanService.requestHash(new ScanRequests.IngestScan("u-2", base.email(), base.result())))
                .isNotEqualTo(ScanService.requestHash(base));
    }

    @Test
    void aScanStoredWithTheEarlierTextFormHashStillReplays() {
        var request = request(Map.of("md5", "cd".repeat(16)), Map.of("parse", 3L));
        var other = request(Map.of("md5", "ce".repeat(16)), Map.of("parse", 3L));
        String storedBeforeCanonicalJson = com.phishnet.store.platform.crypto.Sha256.hex(request.toString());

        assertThat(ScanService.sameRequest(storedBeforeCanonicalJson, request, ScanService.requestHash(request))).isTrue();
        assertThat(ScanService.sameRequest(storedBeforeCanonicalJson, other, ScanService.requestHash(other))).isFalse();
        assertThat(ScanService.sameRequest(ScanService.requestHash(request), other, ScanService.requestHash(other)))
                .isFalse();
    }

    private static ScanRequests.IngestScan request(Map<String, String> hashes, Map<String, Long> timings) {
        var email = new ScanRequests.EmailInput("<m@x>", "a@x.example", List.of("b@y.example"), "subject", RECEIVED,
                10, hashes);
        var result = new ScanRequests.ResultInput(Verdict.SUSPICIOUS, 0.6, List.of(), "m1", timings, SCANNED);
        return new ScanRequests.IngestScan("u-1", email, result);
    }

    private static <V> Map<String, V> ordered(String k1, V v1, String k2, V v2) {
        Map<String, V> map = new LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }
}
