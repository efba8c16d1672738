package com.phishnet.store.reputation;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.phishnet.store.platform.security.Access.Scope;
import com.phishnet.store.reputation.ReputationRequests.ReputationView;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.OfflineApplicationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/** Who may write which reputation verdicts, and what a read says about its scope; over a mocked service. */
@OfflineApplicationTest
class ReputationControllerTest {

    @MockitoBean
    ReputationService reputation;

    @Autowired
    WebTestClient http;

    private final Instant now = Instant.parse("2026-11-23T10:00:00Z");
    private final Map<String, Object> verdict = Map.of("type", "DOMAIN", "subject", "phish.example",
            "verdict", "CLEAN", "score", 0.1, "source", "analyst", "ttlSeconds", 3600);

    @Test
    void aTenantAnalystCannotWriteAGlobalVerdict() {
        String analyst = DevTokens.mint(http, "ann", "acme", List.of("ANALYST"));

        put("/api/v1/reputation/global", analyst).expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        verifyNoInteractions(reputation);
    }

    @Test
    void aTenantAdminCannotWriteAGlobalVerdictEither() {
        String admin = DevTokens.mint(http, "root", "acme", List.of("ADMIN"));

        put("/api/v1/reputation/global", admin).expectStatus().isForbidden();
        verifyNoInteractions(reputation);
    }

    @Test
    void aFeedWriterWithTheWriteScopeSetsTheGlobalVerdict() {
        String feed = DevTokens.mint(http, "feed-1", "feeds", List.of(), Scope.REPUTATION_WRITE.value());
        given(reputation.putGlobal(any())).willReturn(Mono.just(view(ReputationScope.GLOBAL)));

        put("/api/v1/reputation/global", feed).expectStatus().isOk()
                .expectBody().jsonPath("$.scope").isEqualTo("GLOBAL");
    }

    @Test
    void anAnalystsWriteIsAnOverrideOfTheirOwnTenant() {
        String analyst = DevTokens.mint(http, "ann", "acme", List.of("ANALYST"));
        given(reputation.putOverride(eq("acme"), any())).willReturn(Mono.just(view(ReputationScope.TENANT)));

        put("/api/v1/reputation", analyst).expectStatus().isOk()
                .expectBody().jsonPath("$.scope").isEqualTo("TENANT");
        verify(reputation).putOverride(eq("acme"), any());
    }

    @Test
    void aFeedWriterWithoutATenantRoleCannotWriteAnOverride() {
        String feed = DevTokens.mint(http, "feed-1", "feeds", List.of(), Scope.REPUTATION_WRITE.value());

        put("/api/v1/reputation", feed).expectStatus().isForbidden();
        verifyNoInteractions(reputation);
    }

    @Test
    void aPlainUserCannotWriteAnOverride() {
        String user = DevTokens.mint(http, "bob", "acme", List.of("USER"));

        put("/api/v1/reputation", user).expectStatus().isForbidden();
        verifyNoInteractions(reputation);
    }

    @Test
    void aReadIsAnsweredForTheCallersTenant() {
        String user = DevTokens.mint(http, "bob", "globex", List.of("USER"));
        given(reputation.get("globex", SubjectType.DOMAIN, "phish.example"))
                .willReturn(Mono.just(view(ReputationScope.GLOBAL)));

        http.get().uri("/api/v1/reputation?type=DOMAIN&subject=phish.example")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + user).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.scope").isEqualTo("GLOBAL").jsonPath("$.verdict").isEqualTo("MALICIOUS");
    }

    private WebTestClient.ResponseSpec put(String path, String token) {
        return http.put().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(verdict).exchange();
    }

    private ReputationView view(ReputationScope scope) {
        return new ReputationView(SubjectType.DOMAIN, "phish.example", scope,
                scope == ReputationScope.GLOBAL ? ReputationVerdict.MALICIOUS : ReputationVerdict.CLEAN, 0.9, "feed",
                now, now.plusSeconds(3600));
    }
}
