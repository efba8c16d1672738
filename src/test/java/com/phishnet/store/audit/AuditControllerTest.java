package com.phishnet.store.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.phishnet.store.audit.AuditRequests.AuditEntryView;
import com.phishnet.store.platform.web.PageRequest;
import com.phishnet.store.platform.web.PageResponse;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.OfflineApplicationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/** The audit routes over a mocked service: the JSON an entry is shown as. */
@OfflineApplicationTest
class AuditControllerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @MockitoBean
    AuditService audit;

    @Autowired
    WebTestClient http;

    @Test
    void anAuditEntryIsShownWithEveryFieldOfTheChainLink() {
        AuditEntry entry = new AuditEntry("a-7", "acme", 7, "USER_CREATED", "admin-1", "users", "u-1",
                AuditOutcome.SUCCESS, "203.0.113.9", "dashboard/1.0", "req-7", Map.of("role", "ANALYST"),
                Instant.parse("2026-11-23T10:00:00Z"), "p".repeat(64), "h".repeat(64), 2, "s".repeat(64), "d".repeat(64), null);
        given(audit.query(any(), any(), any(), any())).willReturn(Mono.just(page(entry)));
        String admin = DevTokens.mint(http, "admin-1", "acme", List.of("ADMIN"));

        String body = http.get().uri("/api/v1/admin/audit").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(JSON.readTree(body).path("items").get(0)).isEqualTo(JSON.readTree("""
                {"id":"a-7","tenantId":"acme","seq":7,"eventType":"USER_CREATED","actorId":"admin-1",
                 "targetType":"users","targetId":"u-1","outcome":"SUCCESS","ip":"203.0.113.9",
                 "userAgent":"dashboard/1.0","requestId":"req-7","details":{"role":"ANALYST"},
                 "at":"2026-11-23T10:00:00Z","prevHash":"%s","hash":"%s","v":2,"personalDigest":"%s",
                 "erasedAt":null}""".formatted("p".repeat(64), "h".repeat(64), "d".repeat(64))));
        assertThat(body).doesNotContain("s".repeat(64));
    }

    @Test
    void aBareTenantParameterMeansTheCallersOwnChain() {
        given(audit.verify(any(), any())).willReturn(Mono.just(new ChainVerification("acme", 3, true, null, null, null, null)));
        String admin = DevTokens.mint(http, "admin-1", "acme", List.of("ADMIN"));

        http.get().uri("/api/v1/admin/audit/verify?tenant").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.tenantId").isEqualTo("acme").jsonPath("$.valid").isEqualTo(true)
                .jsonPath("$.entries").isEqualTo(3);
    }

    private static PageResponse<AuditEntryView> page(AuditEntry entry) {
        return PageResponse.of(List.of(AuditEntryView.of(entry)), new PageRequest(1, 50), 1,
                URI.create("/api/v1/admin/audit"));
    }
}
