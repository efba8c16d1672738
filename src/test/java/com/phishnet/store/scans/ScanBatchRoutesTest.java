package com.phishnet.store.scans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import com.mongodb.MongoSocketException;
import com.mongodb.ServerAddress;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.scans.ScanRequests.IngestScan;
import com.phishnet.store.scans.ScanRequests.ScanView;
import com.phishnet.store.scans.ScanService.Ingested;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.OfflineApplicationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/v1/scans:batch} over HTTP with a scripted scan service: result shapes and order, counts, the
 * limits, what is rejected before any item is tried, the NDJSON variant line by line, and who may call it.
 */
@OfflineApplicationTest
@TestPropertySource(properties = {"phishnet.rate-limit.enabled=false", "phishnet.scans.batch.max-line-length=4KB",
        "phishnet.scans.batch.ndjson-max-items=6"})
class ScanBatchRoutesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PATH = "/api/v1/scans:batch";

    @MockitoBean
    ScanService scans;

    @Autowired
    WebTestClient http;

    private String scanner;

    @BeforeEach
    void aScannerAndAStoreThatCreatesEveryScan() {
        scanner = DevTokens.mint(http, "scanner-1", "acme", List.of(), "scans:write");
        given(scans.ingest(any(), any(), any(), any())).willAnswer(call -> Mono.just(
                new Ingested(view("s-" + call.getArgument(2)), false)));
    }

    @Test
    void everyItemGetsItsResultInInputOrderWithTheCounts() {
        given(scans.ingest(any(), any(), eq("seen"), any())).willReturn(Mono.just(new Ingested(view("s-old"), true)));
        given(scans.ingest(any(), any(), eq("reused"), any())).willReturn(Mono.error(new ApiException.Conflict(
                "The Idempotency-Key was already used for a different request.")));
        given(scans.ingest(any(), any(), eq("down"), any())).willReturn(Mono.error(new MongoSocketException("socket closed", new ServerAddress())));
        Map<String, Object> noUser = item("bad", 9);
        noUser.remove("userId");

        JsonNode body = json(post(batch(List.of(item("new", 0), item("seen", 1), noUser, item("reused", 3),
                item("down", 4))), 200));

        assertThat(statuses(body)).containsExactly("created", "duplicate", "invalid", "conflict", "failed");
        assertThat(body.path("results").get(0).path("index").asInt()).isZero();
        assertThat(body.path("results").get(0).path("scanId").asString()).isEqualTo("s-new");
        assertThat(body.path("results").get(0).has("problem")).isFalse();
        assertThat(body.path("results").get(1).path("scanId").asString()).isEqualTo("s-old");
        JsonNode invalid = body.path("results").get(2).path("problem");
        assertThat(invalid.path("type").asString()).isEqualTo("urn:phishnet:problem:validation");
        assertThat(invalid.path("status").asInt()).isEqualTo(400);
        assertThat(invalid.path("errors").get(0).path("field").asString()).isEqualTo("userId");
        assertThat(invalid.path("requestId").asString()).isNotBlank();
        assertThat(body.path("results").get(3).path("problem").path("status").asInt()).isEqualTo(409);
        assertThat(body.path("results").get(4).path("problem").path("status").asInt()).isEqualTo(503);
        assertThat(body.path("results").get(4).toString()).doesNotContain("socket closed");
        assertThat(body.path("counts").toString()).isEqualTo(
                "{\"created\":1,\"duplicate\":1,\"invalid\":1,\"conflict\":1,\"failed\":1}");
        // The invalid item never reached the service.
        verify(scans, times(4)).ingest(any(), any(), anyString(), any());
    }

    @Test
    void anItemIsIngestedAsTheSingleRouteWouldIngestIt() {
        post(batch(List.of(item("k-1", 0))), 200);

        verify(scans).ingest(any(), eq(JSON.convertValue(withoutKey(item("k-1", 0)), IngestScan.class)), eq("k-1"), any());
    }

    @Test
    void anItemOfTheWrongShapeIsThatItemsInvalidOnly() {
        Map<String, Object> wrongType = item("k-2", 1);
        ((Map<String, Object>) wrongType.get("result")).put("score", "high");

        JsonNode body = json(post("{\"items\":[" + JSON.writeValueAsString(item("k-1", 0)) + ","
                + JSON.writeValueAsString(wrongType) + ",42," + JSON.writeValueAsString(item("k-4", 3)) + "]}", 200));

        assertThat(statuses(body)).containsExactly("created", "invalid", "invalid", "created");
        // As the single route answers a body it cannot read.
        assertThat(body.path("results").get(1).path("problem").path("type").asString())
                .isEqualTo("urn:phishnet:problem:bad-request");
        verify(scans, times(2)).ingest(any(), any(), anyString(), any());
    }

    @Test
    void aMalformedEnvelopeIsA400AndNoItemIsTried() {
        for (String body : List.of("{", "[]", "{\"items\":\"x\"}", "{\"items\":{}}", "{\"other\":[]}", "null",
                "{\"items\":[" + JSON.writeValueAsString(item("k", 0)) + "")) {
            EntityExchangeResult<byte[]> result = send(body, MediaType.APPLICATION_JSON);
            assertThat(result.getStatus().value()).as(body).isEqualTo(400);
            assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        }
        verify(scans, never()).ingest(any(), any(), any(), any());
    }

    @Test
    void anEmptyBatchIsA400() {
        JsonNode problem = json(post("{\"items\":[]}", 400));

        assertThat(problem.path("errors").get(0).path("field").asString()).isEqualTo("items");
        verify(scans, never()).ingest(any(), any(), any(), any());
    }

    @Test
    void aBatchOfOneAndOneOfAThousandAreTaken() {
        assertThat(json(post(batch(items(1)), 200)).path("counts").path("created").asInt()).isEqualTo(1);

        JsonNode thousand = json(post(batch(items(1000)), 200));

        assertThat(thousand.path("results")).hasSize(1000);
        assertThat(thousand.path("results").get(999).path("index").asInt()).isEqualTo(999);
        assertThat(thousand.path("counts").path("created").asInt()).isEqualTo(1000);
    }

    @Test
    void aBatchOfMoreThanAThousandIsA413BeforeAnythingIsStored() {
        JsonNode problem = json(post(batch(items(1001)), 413));

        assertThat(problem.path("type").asString()).isEqualTo("urn:phishnet:problem:payload-too-large");
        assertThat(problem.path("detail").asString()).contains("1000");
        verify(scans, never()).ingest(any(), any(), any(), any());
    }

    @Test
    void ndjsonLinesAreAnsweredOneByOneInOrderWithASummary() {
        String body = String.join("\n", JSON.writeValueAsString(item("k-1", 0)), "{not json",
                "", JSON.writeValueAsString(item("k-2", 2)), "{\"userId\":\"" + "x".repeat(5000) + "\"}",
                JSON.writeValueAsString(item("k-3", 3)) + "\r") + "\n";

        List<JsonNode> lines = ndjson(body);

        assertThat(lines).hasSize(6);
        assertThat(lines.subList(0, 5)).extracting(line -> line.path("status").asString())
                .containsExactly("created", "invalid", "created", "invalid", "created");
        assertThat(lines.subList(0, 5)).extracting(line -> line.path("index").asInt()).containsExactly(0, 1, 2, 3, 4);
        // Line numbers count the blank line the indexes skip.
        assertThat(lines.subList(0, 5)).extracting(line -> line.path("line").asInt()).containsExactly(1, 2, 4, 5, 6);
        assertThat(lines.get(1).path("problem").path("status").asInt()).isEqualTo(400);
        assertThat(lines.get(3).path("problem").path("status").asInt()).isEqualTo(413);
        assertThat(lines.get(5).path("counts").path("created").asInt()).isEqualTo(3);
        assertThat(lines.get(5).path("counts").path("invalid").asInt()).isEqualTo(2);
        assertThat(lines.get(5).path("complete").asBoolean()).isTrue();
        verify(scans, times(3)).ingest(any(), any(), anyString(), any());
    }

    @Test
    void ndjsonPastTheItemLimitIsNotReadAndTheSummarySaysSo() {
        StringBuilder body = new StringBuilder();
        for (int index = 0; index < 8; index++) {
            body.append(JSON.writeValueAsString(item("k-" + index, index))).append('\n');
        }

        List<JsonNode> lines = ndjson(body.toString());

        assertThat(lines).hasSize(7);
        assertThat(lines.get(6).path("items").asInt()).isEqualTo(6);
        assertThat(lines.get(6).path("complete").asBoolean()).isFalse();
        assertThat(lines.get(6).path("problem").path("status").asInt()).isEqualTo(413);
        verify(scans, times(6)).ingest(any(), any(), anyString(), any());
    }

    @Test
    void onlyAScanWriterOrAnAdminMayBatch() {
        String user = DevTokens.mint(http, "u-1", "acme", List.of("USER"));
        String admin = DevTokens.mint(http, "admin-1", "acme", List.of("ADMIN"));

        http.post().uri(PATH).header(HttpHeaders.AUTHORIZATION, "Bearer " + user)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(batch(items(1)))
                .exchange().expectStatus().isForbidden();
        http.post().uri(PATH).header(HttpHeaders.AUTHORIZATION, "Bearer " + user)
                .contentType(MediaType.APPLICATION_NDJSON).bodyValue(JSON.writeValueAsString(item("k", 0)))
                .exchange().expectStatus().isForbidden();
        verify(scans, never()).ingest(any(), any(), any(), any());
        http.post().uri(PATH).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(batch(items(1)))
                .exchange().expectStatus().isOk();
    }

    @Test
    void theColonRouteSharesNothingWithTheScanRoutes() {
        given(scans.get(any(), eq("s:batch"))).willReturn(Mono.just(view("s:batch")));
        clearInvocations(scans);

        http.get().uri(PATH).header(HttpHeaders.AUTHORIZATION, "Bearer " + scanner).exchange()
                .expectStatus().isEqualTo(405);
        http.get().uri("/api/v1/scans/s:batch").header(HttpHeaders.AUTHORIZATION, "Bearer " + scanner).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.id").isEqualTo("s:batch");
        post(batch(items(1)), 200);
        verify(scans, times(1)).ingest(any(), any(), anyString(), any());
    }

    @Test
    void eachItemProblemIsTheOneTheSingleRouteAnswers() {
        given(scans.ingest(any(), any(), eq("reused"))).willReturn(Mono.error(new ApiException.Conflict("used")));
        given(scans.ingest(any(), any(), eq("reused"), any())).willReturn(Mono.error(new ApiException.Conflict("used")));
        given(scans.ingest(any(), any(), eq("gone"))).willReturn(Mono.error(new ApiException.NotFound("No user u-1.")));
        given(scans.ingest(any(), any(), eq("gone"), any())).willReturn(Mono.error(new ApiException.NotFound("No user u-1.")));
        Map<String, Object> noUser = withoutKey(item("x", 0));
        noUser.remove("userId");
        Map<String, Object> wrongType = withoutKey(item("x", 0));
        ((Map<String, Object>) wrongType.get("result")).put("score", "high");
        Map<String, String> singles = new LinkedHashMap<>();
        singles.put("missing field", JSON.writeValueAsString(noUser));
        singles.put("wrong type", JSON.writeValueAsString(wrongType));
        singles.put("not an object", "42");
        singles.put("not JSON", "{not json");
        singles.put("conflict", "reused");
        singles.put("not found", "gone");
        for (Map.Entry<String, String> kind : singles.entrySet()) {
            boolean byKey = kind.getValue().matches("[a-z]+");
            String single = http.post().uri("/api/v1/scans").header(HttpHeaders.AUTHORIZATION, "Bearer " + scanner)
                    .header("Idempotency-Key", byKey ? kind.getValue() : "k")
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(byKey ? JSON.writeValueAsString(withoutKey(item("x", 0))) : kind.getValue())
                    .exchange().expectBody(String.class).returnResult().getResponseBody();
            String line = byKey ? JSON.writeValueAsString(item(kind.getValue(), 0)) : kind.getValue();

            JsonNode expected = json(single);
            JsonNode actual = ndjson(line + "\n").get(0).path("problem");

            for (String field : List.of("type", "title", "status", "detail", "errors")) {
                assertThat(actual.path(field)).as(kind.getKey() + ": " + field).isEqualTo(expected.path(field));
            }
        }
    }

    @Test
    void aLineOfExactlyTheMaximumLengthEndedByCrlfIsTaken() {
        String json = JSON.writeValueAsString(item("k-1", 0));
        String exact = json + " ".repeat(4096 - json.length());
        String over = JSON.writeValueAsString(item("k-2", 1));
        over = over + " ".repeat(4097 - over.length());

        List<JsonNode> lines = ndjson(exact + "\r\n" + over + "\r\n");

        assertThat(lines.get(0).path("status").asString()).isEqualTo("created");
        assertThat(lines.get(1).path("status").asString()).isEqualTo("invalid");
        assertThat(lines.get(1).path("problem").path("status").asInt()).isEqualTo(413);
    }

    @Test
    void anEmptyNdjsonBodyIsA400LikeAnEmptyJsonBatch() {
        for (String body : List.of("", "\n\n  \r\n")) {
            EntityExchangeResult<byte[]> result = send(body, MediaType.APPLICATION_NDJSON);
            assertThat(result.getStatus().value()).as("[" + body + "]").isEqualTo(400);
            assertThat(json(new String(result.getResponseBodyContent(), StandardCharsets.UTF_8)).path("errors").get(0)
                    .path("field").asString()).isEqualTo("items");
        }
        verify(scans, never()).ingest(any(), any(), any(), any());
    }

    @Test
    void blankLinesCountTowardsTheLineLimit() {
        EntityExchangeResult<byte[]> result = send("\n".repeat(6) + JSON.writeValueAsString(item("k-1", 0)) + "\n",
                MediaType.APPLICATION_NDJSON);

        // Six blank lines reach the limit of six: the item after them is not read, and nothing was answered.
        assertThat(result.getStatus().value()).isEqualTo(413);
        verify(scans, never()).ingest(any(), any(), any(), any());
    }

    // --- helpers --------------------------------------------------------------------------------------------

    private String post(String body, int status) {
        EntityExchangeResult<byte[]> result = send(body, MediaType.APPLICATION_JSON);
        String text = new String(result.getResponseBodyContent(), StandardCharsets.UTF_8);
        assertThat(result.getStatus().value()).as(text).isEqualTo(status);
        return text;
    }

    private List<JsonNode> ndjson(String body) {
        EntityExchangeResult<byte[]> result = send(body, MediaType.APPLICATION_NDJSON);
        assertThat(result.getStatus().value()).isEqualTo(200);
        assertThat(result.getResponseHeaders().getContentType().isCompatibleWith(MediaType.APPLICATION_NDJSON)).isTrue();
        return new String(result.getResponseBodyContent(), StandardCharsets.UTF_8).lines().map(JSON::readTree).toList();
    }

    private EntityExchangeResult<byte[]> send(String body, MediaType type) {
        return http.post().uri(PATH).header(HttpHeaders.AUTHORIZATION, "Bearer " + scanner)
                .contentType(type).bodyValue(body)
                .exchange().expectBody().returnResult();
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    private static List<String> statuses(JsonNode body) {
        List<String> statuses = new ArrayList<>();
        body.path("results").forEach(result -> statuses.add(result.path("status").asString()));
        return statuses;
    }

    private static String batch(List<Map<String, Object>> items) {
        return JSON.writeValueAsString(Map.of("items", items));
    }

    private static List<Map<String, Object>> items(int count) {
        return IntStream.range(0, count).mapToObj(index -> item("k-" + index, index)).toList();
    }

    /** A valid item: its own key and message. */
    static Map<String, Object> item(String key, int index) {
        Map<String, Object> email = new LinkedHashMap<>();
        email.put("messageId", "<m" + index + "@example.com>");
        email.put("sender", "eve@evil.example");
        email.put("recipients", List.of("ann@example.com"));
        email.put("subject", "Invoice " + index);
        email.put("receivedAt", "2026-01-01T00:00:00Z");
        email.put("sizeBytes", 1024);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("verdict", "MALICIOUS");
        result.put("score", 0.9);
        result.put("modelVersion", "m-1");
        result.put("scannedAt", "2026-01-01T00:00:01Z");
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("idempotencyKey", key);
        item.put("userId", "u-1");
        item.put("email", email);
        item.put("result", result);
        return item;
    }

    private static Map<String, Object> withoutKey(Map<String, Object> item) {
        Map<String, Object> copy = new LinkedHashMap<>(item);
        copy.remove("idempotencyKey");
        return copy;
    }

    private static ScanView view(String id) {
        return new ScanView(id, "u-1", "e-1", "eve@evil.example", Verdict.MALICIOUS, Verdict.MALICIOUS, 0.9, List.of(),
                "m-1", Map.of(), Instant.parse("2026-01-01T00:00:01Z"), null);
    }
}
