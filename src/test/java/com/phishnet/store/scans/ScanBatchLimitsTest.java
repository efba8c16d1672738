package com.phishnet.store.scans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import com.phishnet.store.platform.security.ApiKeyVerifier;
import com.phishnet.store.platform.security.JwtClaims;
import com.phishnet.store.scans.ScanRequests.ScanView;
import com.phishnet.store.scans.ScanService.Ingested;
import com.phishnet.store.support.OfflineApplicationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/**
 * Batch items are charged to the caller's `ingest` budget, the single route's: an {@code X-API-Key} caller (scope
 * scans:write) here, whose batches and single POSTs share one budget of 5 scans a window (Redis is unreachable, so
 * the per-instance fallback counts, with the same rules).
 */
@OfflineApplicationTest
@TestPropertySource(properties = {"phishnet.rate-limit.enabled=true", "phishnet.rate-limit.window=10m",
        // A list set here replaces the configured one whole.
        "phishnet.rate-limit.groups[0].name=ingest-batch", "phishnet.rate-limit.groups[0].method=POST",
        "phishnet.rate-limit.groups[0].path=/api/v1/scans:batch", "phishnet.rate-limit.groups[0].per-principal=60",
        "phishnet.rate-limit.groups[0].per-ip=1000",
        "phishnet.rate-limit.groups[1].name=ingest", "phishnet.rate-limit.groups[1].method=POST",
        "phishnet.rate-limit.groups[1].path=/api/v1/scans", "phishnet.rate-limit.groups[1].per-principal=5",
        "phishnet.rate-limit.groups[1].per-ip=1000"})
class ScanBatchLimitsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @MockitoBean
    ScanService scans;

    @MockitoBean
    ApiKeyVerifier keys;

    @Autowired
    WebTestClient http;

    @BeforeEach
    void aKeyWithScansWrite() {
        given(scans.ingest(any(), any(), any(), any())).willReturn(Mono.just(new Ingested(view(), false)));
        given(scans.ingest(any(), any(), any())).willReturn(Mono.just(new Ingested(view(), false)));
        given(keys.verify(any())).willAnswer(call -> Mono.just(Jwt.withTokenValue("api-key").header("alg", "none")
                .subject("api-key:" + call.getArgument(0)).claim(JwtClaims.TENANT, "acme")
                .claim(JwtClaims.ROLES, List.of()).claim(JwtClaims.SCOPE, "scans:write")
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(600)).build()));
    }

    @Test
    void batchItemsAndSinglePostsShareTheCallersIngestionBudget() {
        assertThat(batch("key-a", 3).getStatus().value()).isEqualTo(200);

        EntityExchangeResult<byte[]> refused = batch("key-a", 3);

        assertThat(refused.getStatus().value()).isEqualTo(429);
        assertThat(refused.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotBlank();
        assertThat(JSON.readTree(refused.getResponseBodyContent()).path("type").asString())
                .isEqualTo("urn:phishnet:problem:too-many-requests");
        verify(scans, times(3)).ingest(any(), any(), any(), any());
        // Two scans are left of five, for the single route too.
        assertThat(single("key-a")).isEqualTo(201);
        assertThat(single("key-a")).isEqualTo(201);
        assertThat(single("key-a")).isEqualTo(429);
        assertThat(batch("key-a", 1).getStatus().value()).isEqualTo(429);
    }

    @Test
    void aBatchLargerThanTheWholeBudgetTakesTheWholeWindowInsteadOfARefusalForever() {
        // Seven items against a budget of five a window: refusing would repeat in every window.
        assertThat(batch("key-c", 7).getStatus().value()).isEqualTo(200);
        verify(scans, times(7)).ingest(any(), any(), any(), any());

        assertThat(single("key-c")).isEqualTo(429);
    }

    @Test
    void anNdjsonBatchStopsReadingWhereItsBudgetEnds() {
        StringBuilder body = new StringBuilder();
        for (int index = 0; index < 10; index++) {
            body.append(JSON.writeValueAsString(ScanBatchRoutesTest.item("n-" + index, index))).append('\n');
        }

        EntityExchangeResult<byte[]> result = http.post().uri(ScanController.BATCH_PATH).header("X-API-Key", "key-b")
                .contentType(MediaType.APPLICATION_NDJSON).bodyValue(body.toString())
                .exchange().expectBody().returnResult();

        assertThat(result.getStatus().value()).isEqualTo(200);
        List<JsonNode> lines = new String(result.getResponseBodyContent(), StandardCharsets.UTF_8).lines()
                .map(JSON::readTree).toList();
        // Charged 1, then 2, then 4 would pass 5: three items, then the summary.
        assertThat(lines).hasSize(4);
        JsonNode summary = lines.get(3);
        assertThat(summary.path("complete").asBoolean()).isFalse();
        assertThat(summary.path("items").asInt()).isEqualTo(3);
        assertThat(summary.path("problem").path("status").asInt()).isEqualTo(429);
        verify(scans, times(3)).ingest(any(), any(), any(), any());
    }

    private EntityExchangeResult<byte[]> batch(String key, int items) {
        return http.post().uri(ScanController.BATCH_PATH).header("X-API-Key", key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(JSON.writeValueAsString(Map.of("items", IntStream.range(0, items)
                        .mapToObj(index -> ScanBatchRoutesTest.item(key + "-" + items + "-" + index, index)).toList())))
                .exchange().expectBody().returnResult();
    }

    private int single(String key) {
        Map<String, Object> item = ScanBatchRoutesTest.item("x", 0);
        item.remove("idempotencyKey");
        return http.post().uri("/api/v1/scans").header("X-API-Key", key).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(JSON.writeValueAsString(item)).exchange().expectBody().returnResult().getStatus().value();
    }

    private static ScanView view() {
        return new ScanView("s-1", "u-1", "e-1", "eve@evil.example", Verdict.MALICIOUS, Verdict.MALICIOUS, 0.9,
                List.of(), "m-1", Map.of(), Instant.parse("2026-01-01T00:00:01Z"), null);
    }
}
