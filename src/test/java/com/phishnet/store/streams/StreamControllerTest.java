package com.phishnet.store.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.times;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

import com.phishnet.store.audit.AuditEventType;
import com.phishnet.store.platform.mongo.ResumeToken;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.platform.web.InputBounds;
import com.phishnet.store.scans.Verdict;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.OfflineApplicationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.util.UriBuilder;
import reactor.core.publisher.Flux;

/** The stream routes over a mocked service: SSE framing, and every refusal a problem before anything is streamed. */
@OfflineApplicationTest
class StreamControllerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ResumeToken TOKEN = TestChanges.token(7);
    private static final ResumeToken OTHER_TOKEN = TestChanges.token(9);

    @MockitoBean
    StreamService streams;

    @Autowired
    WebTestClient http;

    // Minted once for the class: the development token endpoint is rate limited per address.
    static String analyst;
    static String user;
    static String admin;

    @BeforeEach
    void mintTokens() {
        if (analyst == null) {
            analyst = DevTokens.mint(http, "analyst-1", "acme", List.of("ANALYST"));
            user = DevTokens.mint(http, "user-1", "acme", List.of("USER"));
            admin = DevTokens.mint(http, "admin-1", "acme", List.of("ADMIN"));
        }
    }

    WebTestClient.ResponseSpec get(String token, Function<UriBuilder, URI> uri) {
        return http.get().uri(uri).accept(MediaType.TEXT_EVENT_STREAM)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    WebTestClient.ResponseSpec get(String token, String pathAndQuery) {
        return http.get().uri(pathAndQuery).accept(MediaType.TEXT_EVENT_STREAM)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    static String body(WebTestClient.ResponseSpec response) {
        return new String(response.expectBody(byte[].class).returnResult().getResponseBody(), StandardCharsets.UTF_8);
    }

    static Flux<ServerSentEvent<String>> twoEvents() {
        return Flux.just(
                ServerSentEvent.<String>builder().comment("connected").retry(Duration.ofSeconds(3)).build(),
                ServerSentEvent.<String>builder().id(TOKEN.data()).event("scan").data("{\"id\":\"s-1\"}").build(),
                ServerSentEvent.<String>builder().id(OTHER_TOKEN.data()).event("scan").data("{\"id\":\"s-2\"}").build());
    }

    void assertValidationProblem(WebTestClient.ResponseSpec response, String field) {
        response.expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.errors[0].field").isEqualTo(field);
    }

    @Test
    void aScanStreamIsServerSentEventsWithIdsEventNamesDataAndARetryHint() {
        given(streams.scans(any(), any(), any(), any())).willReturn(twoEvents());

        WebTestClient.ResponseSpec response = get(analyst, "/api/v1/streams/scans");

        response.expectStatus().isOk().expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM);
        assertThat(body(response)).isEqualTo("retry:3000\n:connected\n\n"
                + "id:" + TOKEN.data() + "\nevent:scan\ndata:{\"id\":\"s-1\"}\n\n"
                + "id:" + OTHER_TOKEN.data() + "\nevent:scan\ndata:{\"id\":\"s-2\"}\n\n");
    }

    @Test
    void theFiltersAndTheResumePointReachTheService() {
        given(streams.scans(any(), any(), any(), any())).willReturn(Flux.empty());

        get(analyst, uri -> uri.path("/api/v1/streams/scans").queryParam("verdict", "MALICIOUS")
                .queryParam("minScore", "0.5").queryParam("userId", "user-9")
                .queryParam("lastEventId", TOKEN.data().toLowerCase()).build())
                .expectStatus().isOk();

        then(streams).should().scans(any(), eq(new StreamService.ScanFilter(Verdict.MALICIOUS, 0.5, "user-9")), eq(TOKEN),
                any());
    }

    @Test
    void theOtherRoutesStreamTooAndGetTheirParameters() {
        given(streams.threats(any(), any(), any())).willReturn(twoEvents());
        given(streams.audit(any(), any(), any(), any())).willReturn(twoEvents());
        given(streams.job(any(), any(), any())).willReturn(twoEvents());

        assertThat(body(get(user, "/api/v1/streams/threats"))).contains("id:" + TOKEN.data() + "\n");
        assertThat(body(get(admin, "/api/v1/streams/audit?eventType=ACCESS_DENIED"))).contains("data:{\"id\":\"s-2\"}\n");
        get(user, "/api/v1/streams/jobs/job-1").expectStatus().isOk();

        then(streams).should().threats(any(), isNull(), any());
        then(streams).should().audit(any(), eq(AuditEventType.ACCESS_DENIED), isNull(), any());
        then(streams).should().job(any(), eq("job-1"), any());
    }

    @ParameterizedTest
    @ValueSource(strings = {"verdict=4", "verdict=bogus", "minScore=2", "minScore=-0.1", "minScore=high"})
    void aBadScanFilterIsABadRequestAndNoStreamIsOpened(String query) {
        get(analyst, "/api/v1/streams/scans?" + query)
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);

        then(streams).shouldHaveNoInteractions();
    }

    @Test
    void anOutOfRangeScoreNamesItsField() {
        assertValidationProblem(get(analyst, "/api/v1/streams/scans?minScore=2"), "minScore");
        then(streams).shouldHaveNoInteractions();
    }

    @Test
    void aTooLongUserIdIsAValidationProblem() {
        assertValidationProblem(get(analyst, "/api/v1/streams/scans?userId=" + "u".repeat(InputBounds.ID_MAX + 1)),
                "userId");
        then(streams).shouldHaveNoInteractions();
    }

    @Test
    void anUnknownAuditEventTypeIsABadRequest() {
        get(admin, "/api/v1/streams/audit?eventType=NOPE")
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        then(streams).shouldHaveNoInteractions();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/streams/scans", "/api/v1/streams/threats", "/api/v1/streams/audit",
            "/api/v1/streams/jobs/job-1"})
    void aMalformedLastEventIdHeaderIsAProblemNamingTheHeader(String path) {
        assertValidationProblem(http.get().uri(path).accept(MediaType.TEXT_EVENT_STREAM)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).header("Last-Event-ID", "not-a-token").exchange(),
                "Last-Event-ID");
        then(streams).shouldHaveNoInteractions();
    }

    @ParameterizedTest
    @ValueSource(strings = {"zz", "8", "0069A0F3C1000000052B"})
    void aMalformedLastEventIdParameterIsAProblemNamingTheParameter(String malformed) {
        WebTestClient.ResponseSpec response = get(analyst, uri -> uri.path("/api/v1/streams/scans")
                .queryParam("lastEventId", malformed).build());

        assertValidationProblem(response, "lastEventId");
        then(streams).shouldHaveNoInteractions();
    }

    @Test
    void anEventIdFromTheFutureIsAProblemBeforeAnyCursorWaitsForIt() {
        long inAnHour = Instant.now().plusSeconds(3600).getEpochSecond();
        String future = String.format("82%08X000000012B0229296E04", inAnHour);

        assertValidationProblem(http.get().uri("/api/v1/streams/scans").accept(MediaType.TEXT_EVENT_STREAM)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + analyst).header("Last-Event-ID", future).exchange(),
                "Last-Event-ID");
        then(streams).shouldHaveNoInteractions();
    }

    @Test
    void theHeaderWinsOverTheParameter() {
        given(streams.scans(any(), any(), any(), any())).willReturn(Flux.empty());

        http.get().uri("/api/v1/streams/scans?lastEventId=" + OTHER_TOKEN.data()).accept(MediaType.TEXT_EVENT_STREAM)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + analyst).header("Last-Event-ID", TOKEN.data())
                .exchange().expectStatus().isOk();
        // A malformed parameter does not matter when the header is there.
        http.get().uri("/api/v1/streams/scans?lastEventId=garbage").accept(MediaType.TEXT_EVENT_STREAM)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + analyst).header("Last-Event-ID", TOKEN.data())
                .exchange().expectStatus().isOk();

        then(streams).should(times(2)).scans(any(), any(), eq(TOKEN), any());
    }

    @Test
    void theAuditStreamIsForAdminsOnly() {
        get(analyst, "/api/v1/streams/audit")
                .expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        get(user, "/api/v1/streams/audit").expectStatus().isForbidden();

        then(streams).shouldHaveNoInteractions();
    }

    @Test
    void aJobTheServiceDoesNotFindIsANotFoundProblem() {
        given(streams.job(any(), eq("job-9"), any())).willReturn(Flux.error(new ApiException.NotFound("No job job-9.")));

        get(admin, "/api/v1/streams/jobs/job-9")
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").isEqualTo("No job job-9.");
    }

    @Test
    void tooManyStreamsOfTheCallerIsATooManyRequestsWithRetryAfter() {
        given(streams.scans(any(), any(), any(), any()))
                .willReturn(Flux.error(new ApiException.TooManyRequests("You already have 10 streams open.", 5)));

        get(analyst, "/api/v1/streams/scans")
                .expectStatus().isEqualTo(429)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "5")
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.retryAfterSeconds").isEqualTo(5);
    }

    @Test
    void aFullInstanceIsServiceUnavailableWithRetryAfter() {
        given(streams.threats(any(), any(), any()))
                .willReturn(Flux.error(new ApiException.Unavailable("This instance follows as many streams as it may.", 7)));

        get(analyst, "/api/v1/streams/threats")
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "7")
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/streams/scans", "/api/v1/streams/threats", "/api/v1/streams/audit",
            "/api/v1/streams/jobs/job-1"})
    void withoutATokenNoStreamOpens(String path) {
        http.get().uri(path).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        then(streams).shouldHaveNoInteractions();
    }

    @Test
    void aJwtInTheUrlIsNoCredential() {
        http.get().uri("/api/v1/streams/scans?access_token=" + analyst).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isUnauthorized();
        then(streams).shouldHaveNoInteractions();
    }

    @Test
    void theCallerIsTheTokensTenantWhateverTheQuerySaysAndTheStreamEndsWithTheToken() {
        given(streams.scans(any(), any(), any(), any())).willReturn(Flux.empty());
        ArgumentCaptor<Caller> caller = ArgumentCaptor.forClass(Caller.class);
        ArgumentCaptor<Instant> expiresAt = ArgumentCaptor.forClass(Instant.class);

        get(analyst, "/api/v1/streams/scans?tenant=other").expectStatus().isOk();

        then(streams).should().scans(caller.capture(), any(), isNull(), expiresAt.capture());
        assertThat(caller.getValue().tenantId()).isEqualTo("acme");
        assertThat(caller.getValue().subject()).isEqualTo("analyst-1");
        assertThat(expiresAt.getValue()).isEqualTo(Instant.ofEpochSecond(claim(analyst, "exp")));
    }

    @Test
    void aJobStreamsCallerIsTheTokensTooAndItsTokenIsCheckedThoughUnused() {
        given(streams.job(any(), any(), any())).willReturn(Flux.empty());
        ArgumentCaptor<Caller> caller = ArgumentCaptor.forClass(Caller.class);
        ArgumentCaptor<Instant> expiresAt = ArgumentCaptor.forClass(Instant.class);

        http.get().uri("/api/v1/streams/jobs/job-1?tenant=other").accept(MediaType.TEXT_EVENT_STREAM)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + user).header("Last-Event-ID", TOKEN.data())
                .exchange().expectStatus().isOk();

        then(streams).should().job(caller.capture(), eq("job-1"), expiresAt.capture());
        assertThat(caller.getValue().tenantId()).isEqualTo("acme");
        assertThat(expiresAt.getValue()).isEqualTo(Instant.ofEpochSecond(claim(user, "exp")));
    }

    private static long claim(String jwt, String name) {
        String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        return JSON.readTree(payload).get(name).asLong();
    }
}
