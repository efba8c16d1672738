package com.phishnet.store.apikeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import com.phishnet.store.apidocs.RequestExamples;
import com.phishnet.store.apikeys.ApiKey.Status;
import com.phishnet.store.apikeys.ApiKeyRequests.CreateKey;
import com.phishnet.store.apikeys.ApiKeyRequests.IssuedKey;
import com.phishnet.store.apikeys.ApiKeyRequests.KeyPage;
import com.phishnet.store.apikeys.ApiKeyRequests.KeyView;
import com.phishnet.store.apikeys.ApiKeyRequests.RotateKey;
import com.phishnet.store.platform.crypto.KeyedHash;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.platform.web.PageRequest;
import com.phishnet.store.platform.web.PageResponse;
import com.phishnet.store.scans.ScanService;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.OfflineApplicationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The API-key routes over HTTP with the service mocked (who may call them, what they show, which input is refused
 * before the service), and authentication with {@code X-API-Key} over the real verifier with the repository mocked.
 */
@OfflineApplicationTest
@TestPropertySource(properties = "phishnet.rate-limit.enabled=false")
class ApiKeyControllerTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private static final String PROBLEM = "application/problem+json";

    @MockitoBean
    ApiKeyService keys;
    @MockitoBean
    ApiKeyRepository repository;
    @MockitoBean
    ScanService scans;

    @Autowired
    WebTestClient http;
    @Autowired
    KeyedHash apiKeyHashes;

    private String admin;
    private String analyst;
    private final ApiKeyFormat.Generated generated = ApiKeyFormat.generate(new SecureRandom());

    @BeforeEach
    void tokens() {
        admin = DevTokens.mint(http, "admin-1", "acme", List.of("ADMIN"));
        analyst = DevTokens.mint(http, "analyst-1", "acme", List.of("ANALYST"), "scans:write");
        given(repository.recordUses(any())).willReturn(Mono.just(0));
    }

    @Test
    void creatingAKeyAnswers201WithTheKeyShownOnceAndItsLocation() {
        given(keys.create(any(), any())).willReturn(Mono.just(new IssuedKey("k-1", generated.key(), "scanner eu-1",
                generated.prefix(), List.of("scans:write"), NOW, null, null)));

        http.post().uri("/api/v1/api-keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(RequestExamples.BY_TYPE.get("CreateKey"))
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().location("/api/v1/api-keys/k-1")
                .expectBody().jsonPath("$.key").isEqualTo(generated.key()).jsonPath("$.prefix").isEqualTo(generated.prefix());

        ArgumentCaptor<Caller> caller = ArgumentCaptor.forClass(Caller.class);
        ArgumentCaptor<CreateKey> request = ArgumentCaptor.forClass(CreateKey.class);
        verify(keys).create(caller.capture(), request.capture());
        assertThat(caller.getValue().tenantId()).isEqualTo("acme");
        assertThat(request.getValue().scopes()).containsExactly(ApiKeyScope.SCANS_WRITE);
        // The example's expiry is a year on, so it stays valid whenever the document is built.
        assertThat(request.getValue().expiresAt()).isAfter(Instant.now().plus(java.time.Duration.ofDays(360)))
                .isBefore(Instant.now().plus(java.time.Duration.ofDays(367)));
    }

    @Test
    void aTenantNamedInTheBodyIsIgnoredTheKeyIsAlwaysTheCallersTenants() {
        given(keys.create(any(), any())).willReturn(Mono.just(new IssuedKey("k-1", generated.key(), "x",
                generated.prefix(), List.of("scans:write"), NOW, null, null)));

        http.post().uri("/api/v1/api-keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"x\",\"scopes\":[\"scans:write\"],\"tenantId\":\"globex\"}")
                .exchange().expectStatus().isCreated();

        ArgumentCaptor<Caller> caller = ArgumentCaptor.forClass(Caller.class);
        verify(keys).create(caller.capture(), any());
        assertThat(caller.getValue().tenantId()).isEqualTo("acme");
        // CreateKey has no field a tenant could arrive in.
        assertThat(CreateKey.class.getRecordComponents()).extracting(java.lang.reflect.RecordComponent::getName)
                .containsExactly("name", "scopes", "expiresAt");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"scopes\":[\"scans:write\"]}",
            "{\"name\":\"  \",\"scopes\":[\"scans:write\"]}",
            "{\"name\":\"scan\\u0007ner\",\"scopes\":[\"scans:write\"]}",
            "{\"name\":\"scan\\u202Ener\",\"scopes\":[\"scans:write\"]}",
            "{\"name\":\"scan\\u200Bner\",\"scopes\":[\"scans:write\"]}",
            "{\"name\":\"x\",\"scopes\":[]}",
            "{\"name\":\"x\"}",
            "{\"name\":\"x\",\"scopes\":[\"service:operator\"]}",
            "{\"name\":\"x\",\"scopes\":[\"SCANS_WRITE\"]}",
            "{\"name\":\"x\",\"scopes\":[null]}",
            "{\"name\":\"x\",\"scopes\":[\"scans:write\",\"scans:write\",\"scans:write\",\"scans:write\"]}",
            "{\"name\":\"x\",\"scopes\":\"scans:write\"}",
            "{\"name\":\"x\",\"scopes\":[\"scans:write\"],\"expiresAt\":\"tomorrow\"}"})
    void invalidCreationsAre400ProblemsThatNeverReachTheService(String body) {
        expectBadRequest(http.post().uri("/api/v1/api-keys"), body);
    }

    @Test
    void aNameLongerThanTheStoredBoundIsRefused() {
        expectBadRequest(http.post().uri("/api/v1/api-keys"),
                "{\"name\":\"" + "n".repeat(ApiKeyFields.NAME_MAX + 1) + "\",\"scopes\":[\"scans:write\"]}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"graceSeconds\":-1}", "{\"graceSeconds\":86401}", "{\"graceSeconds\":1.5}",
            "{\"graceSeconds\":\"60\"}", "", "[]"})
    void invalidRotationsAre400ProblemsThatNeverReachTheService(String body) {
        expectBadRequest(http.post().uri("/api/v1/api-keys/k-1/rotate"), body);
    }

    @Test
    void theListShowsNeitherKeysNorHashes() {
        KeyView view = new KeyView("k-1", "scanner", generated.prefix(), List.of("scans:write"), Status.ACTIVE, "admin-1",
                NOW, null, null, null, NOW, null, null);
        given(keys.list(any(), any(), any())).willReturn(Mono.just(PageResponse.of(List.of(view),
                new PageRequest(1, 50), 1, URI.create("/api/v1/api-keys"))));
        given(keys.listAfter(any(), eq(""), eq(10))).willReturn(Mono.just(new KeyPage(List.of(view), "c-2")));

        String page = http.get().uri("/api/v1/api-keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        String keyset = http.get().uri("/api/v1/api-keys?cursor=&size=10").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();

        assertThat(page).contains("\"prefix\":\"" + generated.prefix() + "\"").contains("\"total\":1")
                .doesNotContain("\"key\"").doesNotContain("\"hash\"");
        assertThat(keyset).contains("\"nextCursor\":\"c-2\"").doesNotContain("\"key\"").doesNotContain("\"hash\"");
    }

    @Test
    void anotherTenantsKeyIsNotFound() {
        given(keys.get(any(), eq("k-globex"))).willReturn(Mono.error(new ApiException.NotFound("No API key k-globex.")));

        http.get().uri("/api/v1/api-keys/k-globex").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isNotFound().expectHeader().contentType(PROBLEM);
    }

    @Test
    void rotationAnswers201WithTheNewKeyAndRevocation204() {
        given(keys.rotate(any(), eq("k-1"), any())).willReturn(Mono.just(new IssuedKey("k-2", generated.key(),
                "scanner", generated.prefix(), List.of("scans:write"), NOW, null, "k-1")));
        given(keys.revoke(any(), eq("k-2"))).willReturn(Mono.empty());

        http.post().uri("/api/v1/api-keys/k-1/rotate").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"graceSeconds\":3600}")
                .exchange().expectStatus().isCreated().expectHeader().location("/api/v1/api-keys/k-2")
                .expectBody().jsonPath("$.key").isEqualTo(generated.key()).jsonPath("$.rotatedFrom").isEqualTo("k-1");
        http.delete().uri("/api/v1/api-keys/k-2").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isNoContent();

        ArgumentCaptor<RotateKey> rotation = ArgumentCaptor.forClass(RotateKey.class);
        verify(keys).rotate(any(), eq("k-1"), rotation.capture());
        assertThat(rotation.getValue().graceSeconds()).isEqualTo(3600L);
    }

    @Test
    void rotatingARevokedOrExpiredKeyIsA409Problem() {
        given(keys.rotate(any(), eq("k-1"), any())).willReturn(Mono.error(new ApiException.Conflict(
                "The API key k-1 is revoked and cannot be rotated; create a new one.")));

        http.post().uri("/api/v1/api-keys/k-1/rotate").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().expectStatus().isEqualTo(409).expectHeader().contentType(PROBLEM);
    }

    @Test
    void onlyAnAdminMayManageKeys() {
        http.post().uri("/api/v1/api-keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + analyst)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(RequestExamples.BY_TYPE.get("CreateKey"))
                .exchange().expectStatus().isForbidden().expectHeader().contentType(PROBLEM);
        http.get().uri("/api/v1/api-keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + analyst)
                .exchange().expectStatus().isForbidden();
        http.get().uri("/api/v1/api-keys/k-1").header(HttpHeaders.AUTHORIZATION, "Bearer " + analyst)
                .exchange().expectStatus().isForbidden();
        http.post().uri("/api/v1/api-keys/k-1/rotate").header(HttpHeaders.AUTHORIZATION, "Bearer " + analyst)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange().expectStatus().isForbidden();
        http.delete().uri("/api/v1/api-keys/k-1").header(HttpHeaders.AUTHORIZATION, "Bearer " + analyst)
                .exchange().expectStatus().isForbidden();

        verifyNoInteractions(keys);
    }

    @Test
    void aValidKeyActsForItsTenantWithItsScopesAndNoRole() {
        stored(null, null);
        given(scans.ingest(any(), any(), any())).willReturn(Mono.empty());

        http.post().uri("/api/v1/scans").header("X-API-Key", generated.key())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(RequestExamples.BY_TYPE.get("IngestScan"))
                .exchange().expectStatus().is2xxSuccessful();

        ArgumentCaptor<Caller> caller = ArgumentCaptor.forClass(Caller.class);
        verify(scans).ingest(caller.capture(), any(), any());
        assertThat(caller.getValue().subject()).isEqualTo("api-key:k-1");
        assertThat(caller.getValue().tenantId()).isEqualTo("acme");
        assertThat(caller.getValue().roles()).isEmpty();
        assertThat(caller.getValue().scopes()).isEqualTo(Set.of("scans:write"));
    }

    @Test
    void aKeyCarriesNoRoleSoItCannotManageKeys() {
        stored(null, null);

        http.get().uri("/api/v1/api-keys").header("X-API-Key", generated.key())
                .exchange().expectStatus().isForbidden().expectHeader().contentType(PROBLEM);

        verifyNoInteractions(keys);
    }

    @Test
    void aRevokedKeyIsA401Problem() {
        stored(null, NOW.minusSeconds(1));

        expectUnauthorizedKey(generated.key());
    }

    @Test
    void anExpiredKeyIsA401Problem() {
        stored(Instant.now().minusSeconds(1), null);

        expectUnauthorizedKey(generated.key());
    }

    @Test
    void anUnknownKeyIsA401Problem() {
        given(repository.byPrefix(anyString())).willReturn(Mono.empty());

        expectUnauthorizedKey(generated.key());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "pnk_", "not-a-key", "pnk_abcdefgh2345_short", "Bearer x"})
    void aMalformedKeyIsA401ProblemWithoutADatabaseRead(String presented) {
        expectUnauthorizedKey(presented);

        verify(repository, never()).byPrefix(anyString());
    }

    @Test
    void aKeyAndABearerTokenTogetherAreA401AndNeitherIsUsed() {
        stored(null, null);

        http.post().uri("/api/v1/scans").header("X-API-Key", generated.key())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(RequestExamples.BY_TYPE.get("IngestScan"))
                .exchange().expectStatus().isUnauthorized().expectHeader().contentType(PROBLEM)
                .expectBody().jsonPath("$.detail").isEqualTo(
                        "Send either an Authorization header or an X-API-Key header, not both.");

        verifyNoInteractions(scans);
    }

    private void expectUnauthorizedKey(String presented) {
        http.post().uri("/api/v1/scans").header("X-API-Key", presented)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(RequestExamples.BY_TYPE.get("IngestScan"))
                .exchange().expectStatus().isUnauthorized().expectHeader().contentType(PROBLEM)
                .expectBody()
                .jsonPath("$.status").isEqualTo(401)
                .jsonPath("$.detail").isEqualTo("The API key was not accepted: it is malformed, unknown, expired or revoked.");
        verifyNoInteractions(scans);
    }

    private void expectBadRequest(WebTestClient.RequestBodySpec request, String body) {
        request.header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isBadRequest().expectHeader().contentType(PROBLEM);
        verifyNoInteractions(keys);
    }

    private void stored(Instant expiresAt, Instant revokedAt) {
        given(repository.byPrefix(generated.prefix())).willReturn(Mono.just(new ApiKey("k-1", "acme", "scanner",
                generated.prefix(), apiKeyHashes.of(generated.key()), List.of("scans:write"), "admin-1",
                NOW.minusSeconds(3600), expiresAt, revokedAt, revokedAt == null ? null : "admin-1", null, null, null)));
    }
}
