package com.phishnet.store;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import com.phishnet.store.analytics.AnalyticsRequests.DailyCount;
import com.phishnet.store.analytics.AnalyticsRequests.DailySeries;
import com.phishnet.store.analytics.AnalyticsRequests.SystemStats;
import com.phishnet.store.analytics.SystemStatsService;
import com.phishnet.store.analytics.TenantStatsService;
import com.phishnet.store.audit.AuditService;
import com.phishnet.store.credentials.CredentialService;
import com.phishnet.store.credentials.KeyRotationService;
import com.phishnet.store.jobs.Job;
import com.phishnet.store.jobs.JobRequests.JobView;
import com.phishnet.store.jobs.JobScope;
import com.phishnet.store.jobs.JobState;
import com.phishnet.store.jobs.JobType;
import com.phishnet.store.platform.security.Access.Scope;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.scans.ScanService;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.OfflineApplicationTest;
import com.phishnet.store.tokens.RefreshTokenService;
import com.phishnet.store.users.UserService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentMatcher;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every route that takes a record id hands the caller's tenant to its service (whose queries filter by it,
 * see the *QueriesTest classes), and service-wide routes need the operator authority that no tenant role
 * implies. Services are mocked: this is about what the web layer passes and refuses.
 */
@OfflineApplicationTest
class TenantScopedRoutesTest {

    private static final String NOT_FOUND = "urn:phishnet:problem:not-found";

    @MockitoBean
    UserService users;
    @MockitoBean
    CredentialService credentials;
    @MockitoBean
    RefreshTokenService refreshTokens;
    @MockitoBean
    ScanService scans;
    @MockitoBean
    KeyRotationService keyRotation;
    @MockitoBean
    SystemStatsService systemStats;
    @MockitoBean
    AuditService audit;
    @MockitoBean
    TenantStatsService tenantStats;
    @MockitoBean
    com.phishnet.store.erasure.ErasureService erasures;
    @MockitoBean
    com.phishnet.store.retention.RetentionRuns retentionRuns;
    @MockitoBean
    com.phishnet.store.apikeys.ApiKeyService apiKeys;

    @Autowired
    WebTestClient http;

    private String admin;
    private String operator;

    @BeforeEach
    void tokens() {
        admin = DevTokens.mint(http, "admin-1", "acme", List.of("ADMIN"), "credentials:read-secret");
        operator = DevTokens.mint(http, "ops-1", "ops", List.of(), "service:operator");
        ApiException.NotFound missing = new ApiException.NotFound("No such record.");
        given(users.get(any(), any())).willReturn(Mono.error(missing));
        given(users.update(any(), any(), any())).willReturn(Mono.error(missing));
        given(users.deactivate(any(), any())).willReturn(Mono.error(missing));
        given(credentials.listForUser(any(), any())).willReturn(Flux.error(missing));
        given(credentials.rotate(any(), any(), any(), any())).willReturn(Mono.error(missing));
        given(credentials.revoke(any(), any(), any())).willReturn(Mono.error(missing));
        given(credentials.readSecret(any(), any(), any())).willReturn(Mono.error(missing));
        given(refreshTokens.revoke(any(), any())).willReturn(Mono.error(missing));
        given(refreshTokens.revokeFamily(any(), any())).willReturn(Mono.error(missing));
        given(scans.get(any(), any())).willReturn(Mono.error(missing));
        given(scans.feedback(any(), any(), any())).willReturn(Mono.error(missing));
        given(scans.scanFeedback(any(), any(), any(), any(), any(), any())).willReturn(Mono.error(missing));
        given(tenantStats.userCounts(any(), any())).willReturn(Mono.error(missing));
        given(keyRotation.status(any(), any())).willReturn(Mono.error(missing));
        given(erasures.erase(any(), any(), any(), any())).willReturn(Mono.error(missing));
        given(apiKeys.get(any(), any())).willReturn(Mono.error(missing));
        given(apiKeys.rotate(any(), any(), any())).willReturn(Mono.error(missing));
        given(apiKeys.revoke(any(), any())).willReturn(Mono.error(missing));
    }

    @Test
    void anErasureIsAskedOfTheCallersTenantAndAnotherTenantsUserIsNotFound() {
        expectNotFound(http.post().uri("/api/v1/admin/users/{id}/erasure", "globex-user")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"reason\":\"request 7\"}"));

        verify(erasures).erase(argThat(acme()), eq(null), eq("globex-user"), eq("request 7"));
    }

    @Test
    void aTenantAdminCannotEraseInAnotherTenant() {
        http.post().uri("/api/v1/admin/users/{id}/erasure?tenant=globex", "u-1")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"reason\":\"request 7\"}")
                .exchange().expectStatus().isForbidden();

        verify(erasures, never()).erase(any(), any(), any(), any());
    }

    @Test
    void retentionRunsActOnEveryTenantSoATenantAdminMayNeitherStartNorReadThem() {
        http.post().uri("/api/v1/admin/retention/runs").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"dryRun\":true}")
                .exchange().expectStatus().isForbidden();
        http.get().uri("/api/v1/admin/retention/runs").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isForbidden();
        http.get().uri("/api/v1/admin/retention/runs/{id}", "r-1").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isForbidden();

        http.post().uri("/api/v1/admin/retention/runs/{id}/abandon", "r-1")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"reason\":\"archive lost\"}")
                .exchange().expectStatus().isForbidden();

        org.mockito.Mockito.verifyNoInteractions(retentionRuns);
    }

    @Test
    void anOperatorStartsListsAndAbandonsRunsWithItsAuthorityPassedThrough() {
        var run = new com.phishnet.store.retention.RetentionRequests.RunView("r-1", JobState.FAILED,
                com.phishnet.store.retention.RetentionRun.Trigger.MANUAL, com.phishnet.store.retention.RetentionRun.Phase.DONE,
                "ops-1", java.time.Instant.EPOCH, java.time.Instant.EPOCH, 0L, "a-1", 0, 0, List.of(), List.of(), "abandoned");
        given(retentionRuns.launch(any())).willReturn(Mono.just(run));
        given(retentionRuns.list(any(), any())).willReturn(Mono.just(com.phishnet.store.platform.web.PageResponse.of(
                List.of(run), new com.phishnet.store.platform.web.PageRequest(1, 50), 1, java.net.URI.create("/x"))));
        given(retentionRuns.abandon(any(), any(), any())).willReturn(Mono.just(run));

        http.post().uri("/api/v1/admin/retention/runs").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().expectStatus().isAccepted().expectHeader().location("/api/v1/admin/retention/runs/r-1");
        http.get().uri("/api/v1/admin/retention/runs").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.items[0].id").isEqualTo("r-1");
        http.post().uri("/api/v1/admin/retention/runs/{id}/abandon", "r-1")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"reason\":\" archive lost \"}")
                .exchange().expectStatus().isOk();

        verify(retentionRuns).launch(argThat(caller -> caller.has(Scope.SERVICE_OPERATOR)));
        verify(retentionRuns).abandon(argThat(caller -> caller.has(Scope.SERVICE_OPERATOR)), eq("r-1"), eq("archive lost"));
    }

    @Test
    void userReadsUpdatesAndDeactivationsAreScopedToTheCallersTenant() {
        expectNotFound(http.get().uri("/api/v1/users/u-9"));
        expectNotFound(http.patch().uri("/api/v1/users/u-9").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("displayName", "X")));
        expectNotFound(http.delete().uri("/api/v1/users/u-9"));

        verify(users).get(argThat(acme()), eq("u-9"));
        verify(users).update(argThat(acme()), eq("u-9"), any());
        verify(users).deactivate(argThat(acme()), eq("u-9"));
    }

    @Test
    void credentialRoutesAreScopedToTheCallersTenant() {
        expectNotFound(http.get().uri("/api/v1/users/u-9/credentials"));
        expectNotFound(http.put().uri("/api/v1/users/u-9/credentials/c-9/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("accessToken", "ya29.x")));
        expectNotFound(http.delete().uri("/api/v1/users/u-9/credentials/c-9"));
        expectNotFound(http.get().uri("/api/v1/users/u-9/credentials/c-9/secret"));

        verify(credentials).listForUser(argThat(acme()), eq("u-9"));
        verify(credentials).rotate(argThat(acme()), eq("u-9"), eq("c-9"), any());
        verify(credentials).revoke(argThat(acme()), eq("u-9"), eq("c-9"));
        verify(credentials).readSecret(argThat(acme()), eq("u-9"), eq("c-9"));
    }

    @Test
    void apiKeyReadsRotationsAndRevocationsAreScopedToTheCallersTenant() {
        expectNotFound(http.get().uri("/api/v1/api-keys/k-9"));
        expectNotFound(http.post().uri("/api/v1/api-keys/k-9/rotate").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"graceSeconds\":0}"));
        expectNotFound(http.delete().uri("/api/v1/api-keys/k-9"));

        verify(apiKeys).get(argThat(acme()), eq("k-9"));
        verify(apiKeys).rotate(argThat(acme()), eq("k-9"), any());
        verify(apiKeys).revoke(argThat(acme()), eq("k-9"));
    }

    @Test
    void refreshTokenAndFamilyRevocationsAreScopedToTheCallersTenant() {
        expectNotFound(http.delete().uri("/api/v1/refresh-tokens/t-9"));
        expectNotFound(http.delete().uri("/api/v1/refresh-tokens/families/f-9"));

        verify(refreshTokens).revoke(argThat(acme()), eq("t-9"));
        verify(refreshTokens).revokeFamily(argThat(acme()), eq("f-9"));
    }

    @Test
    void scanReadsAndFeedbackAreScopedToTheCallersTenant() {
        expectNotFound(http.get().uri("/api/v1/scans/s-9"));
        expectNotFound(http.post().uri("/api/v1/scans/s-9/feedback").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("verdict", "CLEAN")));

        verify(scans).get(argThat(acme()), eq("s-9"));
        verify(scans).feedback(argThat(acme()), eq("s-9"), any());
    }

    @Test
    void aScansFeedbackIsListedWithinTheCallersTenantAndAnotherTenantsScanIsNotFound() {
        expectNotFound(http.get().uri("/api/v1/scans/globex-scan/feedback"));
        expectNotFound(http.get().uri("/api/v1/scans/globex-scan/feedback?cursor="));

        verify(scans, org.mockito.Mockito.times(2)).scanFeedback(argThat(acme()), eq("globex-scan"),
                eq(new com.phishnet.store.scans.FeedbackFilter("globex-scan", null, null, null)), any(), any(), any());
    }

    @Test
    void theTenantsFeedbackIsListedForTheCallersTenantWhateverTheFilterNames() {
        given(scans.feedbackList(any(), any(), any(), any())).willReturn(Mono.just(
                com.phishnet.store.platform.web.PageResponse.of(List.of(),
                        new com.phishnet.store.platform.web.PageRequest(1, 50), 0, java.net.URI.create("/api/v1/feedback"))));

        http.get().uri("/api/v1/feedback?scanId=globex-scan&analystId=globex-analyst")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.total").isEqualTo(0);

        verify(scans).feedbackList(argThat(acme()),
                eq(new com.phishnet.store.scans.FeedbackFilter("globex-scan", "globex-analyst", null, null)), any(), any());
    }

    @Test
    void feedbackAgreementIsAggregatedWithinTheCallersTenant() {
        Instant from = Instant.parse("2026-11-01T00:00:00Z");
        Instant to = Instant.parse("2026-11-02T00:00:00Z");
        given(tenantStats.feedbackAgreement(any(), any(), any())).willReturn(Mono.just(
                new com.phishnet.store.analytics.AnalyticsRequests.FeedbackAgreementReport(from, to, List.of(), false)));

        http.get().uri("/api/v1/analytics/feedback?from={from}&to={to}", from, to)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.groups").isEmpty();

        verify(tenantStats).feedbackAgreement(argThat(acme()), eq(from), eq(to));
    }

    @Test
    void userStatisticsAreReadWithinTheCallersTenant() {
        expectNotFound(http.get().uri("/api/v1/analytics/users/u-9"));

        verify(tenantStats).userCounts(argThat(acme()), eq("u-9"));
    }

    @Test
    void theDailySeriesIsReadWithinTheCallersTenant() {
        Instant from = Instant.parse("2026-11-01T00:00:00Z");
        Instant to = Instant.parse("2026-11-02T00:00:00Z");
        given(tenantStats.daily(any(), any(), any(), any()))
                .willReturn(Mono.just(new DailySeries(from, to,
                        List.of(new DailyCount(LocalDate.parse("2026-11-01"), 1, 2, 3)))));

        http.get().uri("/api/v1/analytics/daily?from={from}&to={to}&userId=u-9", from, to)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.days[0].day").isEqualTo("2026-11-01").jsonPath("$.days[0].malicious").isEqualTo(3);

        verify(tenantStats).daily(argThat(acme()), eq(from), eq(to), eq("u-9"));
    }

    @Test
    void aTenantAdminCannotReadAKeyRotationJobWhateverTheId() {
        // The same 403 for any id: it says nothing about which jobs exist.
        for (String id : List.of("j-1", "does-not-exist")) {
            http.get().uri("/api/v1/admin/key-rotations/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                    .exchange().expectStatus().isForbidden();
        }
        verify(keyRotation, never()).status(any(), any());
    }

    @Test
    void aTenantAdminCannotStartAKeyRotation() {
        http.post().uri("/api/v1/admin/key-rotations").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isForbidden();

        verify(keyRotation, never()).launch(any());
    }

    @Test
    void anOperatorReadsKeyRotationJobsWithTheirAuthorityPassedThrough() {
        http.get().uri("/api/v1/admin/key-rotations/j-9").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .exchange().expectStatus().isNotFound();

        verify(keyRotation).status(argThat(caller -> caller.has(Scope.SERVICE_OPERATOR)), eq("j-9"));
    }

    @Test
    void aSecondRotationWhileOneRunsIs409WithTheRunningJobsLocation() {
        given(keyRotation.launch(any())).willReturn(Mono.error(new ApiException.Conflict("running",
                URI.create("/api/v1/admin/key-rotations/j-1"))));

        http.post().uri("/api/v1/admin/key-rotations").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .exchange()
                .expectStatus().isEqualTo(409)
                .expectHeader().location("/api/v1/admin/key-rotations/j-1")
                .expectBody().jsonPath("$.type").isEqualTo("urn:phishnet:problem:conflict");
    }

    @Test
    void anOperatorStartsARotation() {
        Instant now = Instant.parse("2026-11-23T10:00:00Z");
        Job job = new Job("j-2", JobType.KEY_ROTATION, JobScope.SERVICE, JobState.RUNNING, "ops-1", "ops",
                null, now, now, null, 0, 0, null, null);
        given(keyRotation.launch(any())).willReturn(Mono.just(JobView.of(job)));

        http.post().uri("/api/v1/admin/key-rotations").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .exchange()
                .expectStatus().isAccepted()
                .expectHeader().location("/api/v1/admin/key-rotations/j-2");
    }

    @Test
    void systemStatisticsAreForOperatorsOnly() {
        given(systemStats.stats()).willReturn(Mono.just(new SystemStats(List.of(), Map.of())));

        http.get().uri("/api/v1/admin/system-stats").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isForbidden();
        http.get().uri("/api/v1/admin/system-stats").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .exchange().expectStatus().isOk();
    }

    @Test
    void aTenantAdminCannotVerifyAnotherTenantsAuditChain() {
        http.get().uri("/api/v1/admin/audit/verify?tenant=globex").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isForbidden();

        verify(audit, never()).verify(any(), any());
    }

    private void expectNotFound(WebTestClient.RequestHeadersSpec<?> request) {
        request.header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo(NOT_FOUND);
    }

    private static ArgumentMatcher<Caller> acme() {
        return caller -> caller != null && "acme".equals(caller.tenantId());
    }
}
