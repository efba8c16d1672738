package com.phishnet.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;

import javax.crypto.spec.SecretKeySpec;
import java.util.Map;

import com.phishnet.store.platform.crypto.LocalDevSecrets;
import com.phishnet.store.support.OfflineApplicationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The whole application context, started without a database: the startup check and migrations are replaced,
 * and the client points at a port where nothing listens. Proves the wiring, security, local-profile token
 * minting and problem details up to the point where a request would reach MongoDB. Nothing here exercises
 * MongoDB behaviour; that is the integration tier's job.
 */
@OfflineApplicationTest
class ApplicationWiringTest {

    /** phishnet.security.jwt.audience of the local profile (application-local.yaml). */
    private static final String LOCAL_AUDIENCE = "phishnet-store-local";

    @Autowired
    WebTestClient http;

    @Test
    void anApiCallWithoutATokenIs401ProblemDetails() {
        http.get().uri("/api/v1/users").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:phishnet:problem:unauthorized")
                .jsonPath("$.requestId").isNotEmpty();
    }

    @Test
    void aForgedTokenIs401() {
        http.get().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl")
                .exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.type").isEqualTo("urn:phishnet:problem:unauthorized");
    }

    @Test
    void aCorrectlySignedTokenWithoutTenantIs401() {
        String token = sign(JwtClaimsSet.builder().subject("u1").audience(List.of(LOCAL_AUDIENCE))
                .expiresAt(Instant.now().plusSeconds(60)).claim("roles", List.of("ADMIN")).build());

        http.get().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void anExpiredTokenIs401WithAGenericDetail() {
        Instant expiredAt = Instant.now().minusSeconds(3600);
        String token = sign(JwtClaimsSet.builder().subject("u1").claim("tenant", "acme").audience(List.of(LOCAL_AUDIENCE))
                .issuedAt(Instant.now().minusSeconds(7200)).expiresAt(expiredAt).build());

        http.get().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail)
                        .contains("expired").doesNotContain("Jwt", String.valueOf(expiredAt.getEpochSecond()))
                        .doesNotContain(expiredAt.toString().substring(0, 16)));
    }

    @Test
    void aCorrectlySignedTokenForAnotherAudienceIs401() {
        String token = sign(JwtClaimsSet.builder().subject("u1").claim("tenant", "acme")
                .audience(List.of("another-service")).issuedAt(Instant.now())
                .expiresAt(Instant.now().plusSeconds(600)).build());

        http.get().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void devTokensNameTheAudienceAndExpire() {
        String token = mint(Map.of("subject", "u-1", "tenant", "acme", "roles", List.of("USER"), "ttlMinutes", 5));

        org.springframework.security.oauth2.jwt.Jwt jwt = org.springframework.security.oauth2.jwt.NimbusJwtDecoder
                .withSecretKey(new SecretKeySpec(devSecret(), "HmacSHA256")).build().decode(token);
        assertThat(jwt.getAudience()).containsExactly(LOCAL_AUDIENCE);
        assertThat(java.time.Duration.between(jwt.getIssuedAt(), jwt.getExpiresAt())).hasMinutes(5);
    }

    @Test
    void aNullRoleForTheDevTokenEndpointIsABadRequestNotA500() {
        java.util.List<String> roles = new java.util.ArrayList<>();
        roles.add(null);

        http.post().uri("/api/v1/dev/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("subject", "admin-1", "tenant", "acme", "roles", roles))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:phishnet:problem:validation");
    }

    @Test
    void aDevTokenCannotOutliveTheMaximumLifetime() {
        http.post().uri("/api/v1/dev/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("subject", "admin-1", "tenant", "acme", "ttlMinutes", 100_000))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("ttlMinutes");
    }

    @Test
    void anUnknownPathIs404WithoutEchoingTheHost() {
        http.get().uri("/api/v1/nothing-here").header(HttpHeaders.HOST, "attacker.example")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + mint(Map.of("subject", "u-1", "tenant", "acme",
                        "roles", List.of("USER"))))
                .exchange()
                .expectStatus().isNotFound()
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:phishnet:problem:not-found")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail)
                        .doesNotContain("attacker.example").doesNotContain("nothing-here"));
    }

    @Test
    void readingASecretWithoutTheScopeIs403EvenForAnAdmin() {
        String admin = mint(Map.of("subject", "admin-1", "tenant", "acme", "roles", List.of("ADMIN")));

        http.get().uri("/api/v1/users/u-1/credentials/c-1/secret").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail)
                        .contains("credentials:read-secret"));
    }

    @Test
    void creatingAUserNeedsTheAdminRole() {
        String analyst = mint(Map.of("subject", "a-1", "tenant", "acme", "roles", List.of("ANALYST")));

        http.post().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + analyst)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "ann@example.com", "role", "USER"))
                .exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void aPageSizeOverTheMaximumIsAValidationError() {
        String admin = mint(Map.of("subject", "admin-1", "tenant", "acme", "roles", List.of("ADMIN")));

        http.get().uri("/api/v1/users?size=1001").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:phishnet:problem:validation")
                .jsonPath("$.errors[0].field").isEqualTo("size");
    }

    @Test
    void invalidInputIsRejectedBeforeAnyWrite() {
        String admin = mint(Map.of("subject", "admin-1", "tenant", "acme", "roles", List.of("ADMIN")));

        http.post().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "not-an-email", "role", "ADMIN"))
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:phishnet:problem:validation")
                .jsonPath("$.errors[0].field").isEqualTo("email");
    }

    @Test
    void anUnknownRoleInTheBodyIsABadRequest() {
        String admin = mint(Map.of("subject", "admin-1", "tenant", "acme", "roles", List.of("ADMIN")));

        http.post().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "ann@example.com", "role", "ROOT"))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:phishnet:problem:bad-request");
    }

    @Test
    void adminRoutesRefuseOtherRolesWith403() {
        String analyst = mint(Map.of("subject", "a-1", "tenant", "acme", "roles", List.of("ANALYST")));

        http.post().uri("/api/v1/admin/key-rotations").header(HttpHeaders.AUTHORIZATION, "Bearer " + analyst)
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("urn:phishnet:problem:forbidden");
    }

    @Test
    void everyResponseCarriesSecurityHeaders() {
        http.get().uri("/actuator/health/liveness").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().valueEquals("X-Frame-Options", "DENY")
                .expectHeader().valueEquals("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
                .expectHeader().valueEquals("Referrer-Policy", "no-referrer")
                .expectHeader().valueMatches(HttpHeaders.CACHE_CONTROL, ".*no-store.*");
    }

    @Test
    void healthShowsNoTopologyDetailsWithoutAnAdminToken() {
        http.get().uri("/actuator/health").exchange()
                .expectBody()
                .jsonPath("$.components.mongo.status").isEqualTo("DOWN")
                .jsonPath("$.components.mongo.details").doesNotExist();
    }

    @Test
    void healthShowsNoTopologyDetailsToATenantAdmin() {
        String admin = mint(Map.of("subject", "admin-1", "tenant", "acme", "roles", List.of("ADMIN")));

        http.get().uri("/actuator/health").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectBody()
                .jsonPath("$.components.mongo.status").isEqualTo("DOWN")
                .jsonPath("$.components.mongo.details").doesNotExist();
    }

    @Test
    void healthShowsDetailsToAnOperator() {
        String operator = mint(Map.of("subject", "ops-1", "tenant", "ops", "scopes", List.of("service:operator")));

        http.get().uri("/actuator/health").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator).exchange()
                .expectBody()
                .jsonPath("$.components.mongo.status").isEqualTo("DOWN")
                .jsonPath("$.components.mongo.details").exists();
    }

    @Test
    void aTenantAdminCannotVerifyAnotherTenantsAuditChain() {
        String admin = mint(Map.of("subject", "admin-1", "tenant", "acme", "roles", List.of("ADMIN")));

        http.get().uri("/api/v1/admin/audit/verify?tenant=globex").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void anInvalidReputationSubjectIsAValidationError() {
        String user = mint(Map.of("subject", "u-1", "tenant", "acme", "roles", List.of("USER")));

        http.get().uri("/api/v1/reputation?type=DOMAIN&subject=not a domain")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + user).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("subject");
    }

    @Test
    void writingAReputationVerdictNeedsTheScopeOrAnAnalyst() {
        String user = mint(Map.of("subject", "u-1", "tenant", "acme", "roles", List.of("USER")));

        http.put().uri("/api/v1/reputation").header(HttpHeaders.AUTHORIZATION, "Bearer " + user)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("type", "DOMAIN", "subject", "phish.example", "verdict", "MALICIOUS", "score", 0.9,
                        "source", "feed", "ttlSeconds", 3600))
                .exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void healthStaysUpWithRedisDownAndSaysSo() {
        String operator = mint(Map.of("subject", "ops-1", "tenant", "ops", "scopes", List.of("service:operator")));

        http.get().uri("/actuator/health").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator).exchange()
                .expectBody()
                .jsonPath("$.components.cache.status").isEqualTo("UP")
                .jsonPath("$.components.cache.details.redis").isEqualTo("DOWN")
                .jsonPath("$.components.redis").doesNotExist();
    }

    private static byte[] devSecret() {
        return LocalDevSecrets.loadOrCreate(Path.of("target/test-data/dev-secrets.properties"), new SecureRandom())
                .jwtSecret();
    }

    private static String sign(JwtClaimsSet claims) {
        return NimbusJwtEncoder.withSecretKey(new SecretKeySpec(devSecret(), "HmacSHA256")).build()
                .encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims)).getTokenValue();
    }

    private String mint(Map<String, Object> request) {
        return http.post().uri("/api/v1/dev/tokens").contentType(MediaType.APPLICATION_JSON).bodyValue(request)
                .exchange()
                .expectStatus().isOk()
                .expectBody(Map.class)
                .returnResult().getResponseBody().get("accessToken").toString();
    }
}
