package com.phishnet.store.scans;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.phishnet.store.analytics.TenantStatsService;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.scans.ScanRequests.CursorPage;
import com.phishnet.store.scans.ScanRequests.FeedbackInput;
import com.phishnet.store.scans.ScanRequests.FeedbackView;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.OfflineApplicationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/**
 * The feedback routes over mocked services: rating and flag validation (a 400 problem that reaches no service),
 * how feedback is shown, and which filter and page each list route hands on.
 */
@OfflineApplicationTest
class FeedbackRoutesTest {

    private static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");

    @MockitoBean
    ScanService scans;
    @MockitoBean
    TenantStatsService tenantStats;

    @Autowired
    WebTestClient http;

    private String analyst;

    @BeforeEach
    void token() {
        analyst = DevTokens.mint(http, "analyst-1", "acme", List.of("ANALYST"));
    }

    private WebTestClient.ResponseSpec post(Object body) {
        return http.post().uri("/api/v1/scans/s-1/feedback").header(HttpHeaders.AUTHORIZATION, "Bearer " + analyst)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private void expectInvalid(Object body, String field) {
        post(body).expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo(field);
        verify(scans, never()).feedback(any(), any(), any());
    }

    @Test
    void aRatingBelowOneIsRejected() {
        expectInvalid(Map.of("verdict", "CLEAN", "rating", 0), "rating");
    }

    @Test
    void aRatingAboveFiveIsRejected() {
        expectInvalid(Map.of("verdict", "CLEAN", "rating", 6), "rating");
    }

    @Test
    void aFractionalRatingIsRejectedNotTruncated() {
        post(Map.of("verdict", "CLEAN", "rating", 4.5)).expectStatus().isBadRequest();
        verify(scans, never()).feedback(any(), any(), any());
    }

    @Test
    void aRatingSentAsTextIsRejected() {
        post(Map.of("verdict", "CLEAN", "rating", "4")).expectStatus().isBadRequest();
        verify(scans, never()).feedback(any(), any(), any());
    }

    @Test
    void aFlagByItsConstantNameIsRejected() {
        post(Map.of("verdict", "CLEAN", "flag", "FALSE_POSITIVE")).expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        verify(scans, never()).feedback(any(), any(), any());
    }

    @Test
    void anUnknownFlagIsRejected() {
        post(Map.of("verdict", "CLEAN", "flag", "spam")).expectStatus().isBadRequest();
        verify(scans, never()).feedback(any(), any(), any());
    }

    @Test
    void aRatingAndAFlagReachTheServiceAndAreShownAsWritten() {
        given(scans.feedback(any(), eq("s-1"), any())).willReturn(Mono.just(view(3, FeedbackFlag.FALSE_NEGATIVE)));

        post(Map.of("verdict", "MALICIOUS", "rating", 3, "flag", "false_negative")).expectStatus().isOk()
                .expectBody().jsonPath("$.rating").isEqualTo(3).jsonPath("$.flag").isEqualTo("false_negative")
                .jsonPath("$.modelVersion").isEqualTo("m-1").jsonPath("$.scanVerdict").isEqualTo("CLEAN");

        verify(scans).feedback(any(), eq("s-1"),
                eq(new FeedbackInput(Verdict.MALICIOUS, null, 3, FeedbackFlag.FALSE_NEGATIVE)));
    }

    @Test
    void ratingAndFlagAreOptional() {
        given(scans.feedback(any(), eq("s-1"), any())).willReturn(Mono.just(view(null, null)));

        post(Map.of("verdict", "CLEAN")).expectStatus().isOk()
                .expectBody().jsonPath("$.rating").doesNotExist().jsonPath("$.flag").doesNotExist();

        verify(scans).feedback(any(), eq("s-1"), eq(new FeedbackInput(Verdict.CLEAN, null, null, null)));
    }

    @Test
    void theTenantsFeedbackByAnalystAndTimeIsListedByCursor() {
        given(scans.feedbackAfter(any(), any(), eq(""), eq(20)))
                .willReturn(Mono.just(new CursorPage<>(List.of(view(5, null)), "next-1")));

        http.get().uri("/api/v1/feedback?analystId=analyst-2&from=2026-11-01T00:00:00Z&to=2026-11-24T00:00:00Z"
                        + "&cursor=&size=20")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + analyst).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.items[0].id").isEqualTo("f-1").jsonPath("$.nextCursor").isEqualTo("next-1");

        verify(scans).feedbackAfter(argThat(caller -> "acme".equals(caller.tenantId())), eq(new FeedbackFilter(null,
                "analyst-2", Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-24T00:00:00Z"))), eq(""), eq(20));
    }

    @Test
    void aScansFeedbackHandsTheScanAsTheFilterAndThePage() {
        given(scans.scanFeedback(any(), eq("s-1"), any(), any(), any(), any()))
                .willReturn(Mono.just(new CursorPage<>(List.of(), null)));

        http.get().uri("/api/v1/scans/s-1/feedback?page=2&size=10")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + analyst).exchange()
                .expectStatus().isOk();

        verify(scans).scanFeedback(any(), eq("s-1"), eq(new FeedbackFilter("s-1", null, null, null)), eq(null),
                eq(new com.phishnet.store.platform.web.PageRequest(2, 10)), any());
    }

    @Test
    void aPageLargerThanTheMaximumIsRejected() {
        http.get().uri("/api/v1/feedback?size=1001").header(HttpHeaders.AUTHORIZATION, "Bearer " + analyst).exchange()
                .expectStatus().isBadRequest();
        verifyNoInteractions(scans);
    }

    @Test
    void aUserMayNotReadFeedback() {
        String user = DevTokens.mint(http, "u-1", "acme", List.of("USER"));

        http.get().uri("/api/v1/feedback").header(HttpHeaders.AUTHORIZATION, "Bearer " + user).exchange()
                .expectStatus().isForbidden();
        http.get().uri("/api/v1/analytics/feedback?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + user).exchange()
                .expectStatus().isForbidden();
        verifyNoInteractions(scans, tenantStats);
    }

    @Test
    void feedbackAgreementNeedsBothEndsOfTheRange() {
        http.get().uri("/api/v1/analytics/feedback?from=2026-11-01T00:00:00Z")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + analyst).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        verifyNoInteractions(tenantStats);
    }

    @Test
    void anInvertedRangeIsAProblemOnTheToField() {
        given(tenantStats.feedbackAgreement(any(), any(), any()))
                .willReturn(Mono.error(new ApiException.InvalidField("to", "must be after from")));

        http.get().uri("/api/v1/analytics/feedback?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + analyst).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("to");
    }

    private static FeedbackView view(Integer rating, FeedbackFlag flag) {
        return new FeedbackView("f-1", "s-1", "analyst-1", Verdict.MALICIOUS, null, rating, flag, "m-1", Verdict.CLEAN,
                AT, AT);
    }
}
