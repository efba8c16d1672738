package com.phishnet.store.retention;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.phishnet.store.retention.RetentionRequests.HoldView;
import com.phishnet.store.retention.RetentionRequests.PlaceHold;
import com.phishnet.store.retention.RetentionRequests.PoliciesView;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.OfflineApplicationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/** The retention and legal-hold routes over a mocked service: who gets in, what reaches the service, the problems. */
@OfflineApplicationTest
class RetentionControllerTest {

    private static final Instant AT = Instant.parse("2026-12-06T10:00:00Z");

    @MockitoBean
    RetentionService retention;

    @Autowired
    WebTestClient http;

    @Test
    void anAdminReadsAndReplacesItsTenantsPoliciesAndNamingAnotherTenantNeedsTheOperatorScope() {
        given(retention.policies(any(), any())).willReturn(Mono.just(new PoliciesView("acme", List.of(), null, null)));
        given(retention.replacePolicies(any(), any(), any())).willReturn(Mono.just(new PoliciesView("acme", List.of(), AT, "admin-1")));
        String admin = DevTokens.mint(http, "admin-1", "acme", List.of("ADMIN"));

        http.get().uri("/api/v1/admin/retention/policies").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.tenantId").isEqualTo("acme");
        http.put().uri("/api/v1/admin/retention/policies").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"days\":{\"EMAILS_META\":30}}")
                .exchange().expectStatus().isOk();
        then(retention).should().replacePolicies(any(), isNull(), eq(Map.of("EMAILS_META", 30)));
        http.get().uri("/api/v1/admin/retention/policies?tenant=globex").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isForbidden();
    }

    @Test
    void policiesWithDaysOutOfBoundsOrOfTheWrongTypeAreRefusedBeforeTheServiceIsAsked() {
        String admin = DevTokens.mint(http, "admin-1", "acme", List.of("ADMIN"));
        for (String body : List.of("{}", "{\"days\":null}", "{\"days\":{\"EMAILS_META\":0}}", "{\"days\":{\"EMAILS_META\":3651}}",
                "{\"days\":{\"EMAILS_META\":\"30\"}}", "{\"days\":{\"EMAILS_META\":null}}", "{\"days\":[30]}",
                "{\"days\":{\"EMAILS_META\":{\"$gt\":1}}}", "{\"days\":{\"EMAILS_META\":1.5}}")) {
            http.put().uri("/api/v1/admin/retention/policies").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                    .exchange().expectStatus().isBadRequest();
        }
        then(retention).should(never()).replacePolicies(any(), any(), any());
    }

    @Test
    void placingAHoldAnswers201WithItsLocationAndABadOneIs400() {
        given(retention.placeHold(any(), any(), any())).willReturn(Mono.just(new HoldView("h-1", "acme", "u-1",
                "case 42", LegalHoldState.ACTIVE, "admin-1", AT, null, null, null)));
        String admin = DevTokens.mint(http, "admin-1", "acme", List.of("ADMIN"));

        http.post().uri("/api/v1/admin/legal-holds").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"userId\":\"u-1\",\"reason\":\"case 42\"}")
                .exchange().expectStatus().isCreated()
                .expectHeader().location("/api/v1/admin/legal-holds/h-1")
                .expectBody().jsonPath("$.state").isEqualTo("ACTIVE");
        then(retention).should().placeHold(any(), isNull(), eq(new PlaceHold("u-1", "case 42")));

        for (String body : List.of("{}", "{\"reason\":\"  \"}", "{\"reason\":\"" + "r".repeat(1001) + "\"}",
                "{\"userId\":\"a b\",\"reason\":\"x\"}", "{\"userId\":{\"$ne\":null},\"reason\":\"x\"}")) {
            http.post().uri("/api/v1/admin/legal-holds").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                    .exchange().expectStatus().isBadRequest();
        }
    }

    @Test
    void liftingPassesTheReasonOnAndAnAnalystIsRefused() {
        given(retention.liftHold(any(), any(), eq("h-1"), eq("case closed"))).willReturn(Mono.just(new HoldView("h-1",
                "acme", null, "case 42", LegalHoldState.LIFTED, "admin-1", AT, "admin-1", AT, "case closed")));
        String admin = DevTokens.mint(http, "admin-1", "acme", List.of("ADMIN"));
        String analyst = DevTokens.mint(http, "an-1", "acme", List.of("ANALYST"));

        http.delete().uri("/api/v1/admin/legal-holds/h-1?reason=case closed").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("LIFTED");
        http.delete().uri("/api/v1/admin/legal-holds/h-1").header(HttpHeaders.AUTHORIZATION, "Bearer " + analyst)
                .exchange().expectStatus().isForbidden();
    }
}
