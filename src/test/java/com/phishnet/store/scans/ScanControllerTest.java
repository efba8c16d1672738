package com.phishnet.store.scans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.phishnet.store.scans.ScanRequests.ScanView;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.OfflineApplicationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/** The scan routes over a mocked service: the JSON a scan is shown as. */
@OfflineApplicationTest
class ScanControllerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant RECEIVED = Instant.parse("2026-11-23T09:00:00Z");

    /** Every field of a scan resource, its evidence and its email included, as the routes have always shown it. */
    private static final String SCAN_JSON = """
            {"id":"s-1","userId":"u-1","emailId":"e-1","sender":"eve@evil.example","verdict":"MALICIOUS",
             "effectiveVerdict":"CLEAN","score":0.93,
             "indicators":[{"type":"url","value":"http://x.example/login","weight":0.8}],
             "modelVersion":"m-1","timings":{"total":12},"scannedAt":"2026-11-23T09:00:01Z",
             "email":{"id":"e-1","messageId":"<m1@example.com>","sender":"eve@evil.example",
                      "recipients":["ann@example.com"],"subject":"Invoice","receivedAt":"2026-11-23T09:00:00Z",
                      "sizeBytes":1024,"hashes":{"sha256":"ab12"}}}""";

    @MockitoBean
    ScanService scans;

    @Autowired
    WebTestClient http;

    @Test
    void aScanIsShownWithItsIndicatorsAndEmail() {
        given(scans.get(any(), eq("s-1"))).willReturn(Mono.just(scan()));
        String analyst = DevTokens.mint(http, "analyst-1", "acme", List.of("ANALYST"));

        String body = http.get().uri("/api/v1/scans/s-1").header(HttpHeaders.AUTHORIZATION, "Bearer " + analyst)
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(JSON.readTree(body)).isEqualTo(JSON.readTree(SCAN_JSON));
    }

    @Test
    void aScanStoredWithoutIndicatorsIsShownWithoutThem() {
        ScanResult stored = new ScanResult("s-2", "acme", "u-1", "e-1", "eve@evil.example", Verdict.CLEAN, Verdict.CLEAN,
                0.1, null, "m-1", Map.of(), null, null, RECEIVED, false, RECEIVED);

        assertThat(ScanView.of(stored, null).indicators()).isNull();
    }

    private static ScanView scan() {
        EmailMeta email = new EmailMeta("e-1", "acme", "u-1", "<m1@example.com>", "eve@evil.example", "evil.example",
                List.of("ann@example.com"), "Invoice", RECEIVED, 1024, Map.of("sha256", "ab12"), false,
                RECEIVED.plusSeconds(2));
        ScanResult scan = new ScanResult("s-1", "acme", "u-1", "e-1", "eve@evil.example", Verdict.MALICIOUS,
                Verdict.CLEAN, 0.93, List.of(new ScanResult.Indicator("url", "http://x.example/login", 0.8)), "m-1",
                Map.of("total", 12L), "key-1", "hash-1", RECEIVED.plusSeconds(1), false, RECEIVED.plusSeconds(2));
        return ScanView.of(scan, email);
    }
}
