package com.phishnet.store.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.spec.SecretKeySpec;

import com.phishnet.store.migrations.MigrationRunner;
import com.phishnet.store.platform.mongo.ReplicaSetGuard;
import com.phishnet.store.platform.security.Access.Scope;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The whole application as it is deployed: no {@code local} profile, a configured HS256 secret, audience and
 * scrape credential, real (test) encryption keys, and no database. Tokens are signed here with the configured
 * secret, as an identity provider would.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "phishnet.mongo.embedded.enabled=false",
        "spring.mongodb.uri=mongodb://127.0.0.1:1/phishnet",
        "phishnet.mongo.server-selection-timeout=300ms",
        "phishnet.crypto.data-keys=k1:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=",
        "phishnet.crypto.blind-index-key=AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=",
        "phishnet.security.jwt.secret=" + DeployedSecurityTest.SECRET,
        "phishnet.security.jwt.audience=" + DeployedSecurityTest.AUDIENCE,
        "phishnet.security.jwt.max-token-lifetime=1h",
        "spring.data.redis.url=redis://127.0.0.1:1"})
@AutoConfigureWebTestClient
@MockitoBean(types = {ReplicaSetGuard.class, MigrationRunner.class})
class DeployedSecurityTest {

    static final String SECRET = "c2VjcmV0LWZvci10ZXN0cy1vbmx5LTAxMjM0NTY3ODlhYmNkZWY=";
    static final String AUDIENCE = "phishnet-store-test";
    private static final String SCRAPE_PASSWORD = "scrape-pass-for-tests";

    @Autowired
    WebTestClient http;

    @DynamicPropertySource
    static void scrapeCredential(DynamicPropertyRegistry registry) {
        registry.add("phishnet.security.metrics.scrape-password-hash",
                () -> "{bcrypt}" + new BCryptPasswordEncoder(4).encode(SCRAPE_PASSWORD));
    }

    @Test
    void theDevTokenEndpointDoesNotExistOutsideTheLocalProfile() {
        http.post().uri("/api/v1/dev/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("subject", "x", "tenant", "acme", "roles", List.of("ADMIN")))
                .exchange()
                .expectStatus().isUnauthorized();
        http.post().uri("/api/v1/dev/tokens").header(HttpHeaders.AUTHORIZATION, "Bearer " + token(valid()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("subject", "x", "tenant", "acme", "roles", List.of("ADMIN")))
                .exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void aTokenSignedWithTheConfiguredSecretIsAccepted() {
        http.get().uri("/actuator/metrics").header(HttpHeaders.AUTHORIZATION, "Bearer " + token(operator(valid())))
                .exchange()
                .expectStatus().isOk();
    }

    @Test
    void aTokenWithoutExpiryIs401() {
        assertRefused(base().issuedAt(Instant.now()).build());
    }

    @Test
    void aTokenForAnotherAudienceIs401() {
        assertRefused(operator(base().audience(List.of("another-service")).issuedAt(Instant.now())
                .expiresAt(Instant.now().plusSeconds(300))).build());
    }

    @Test
    void aTokenWithoutAudienceIs401() {
        assertRefused(operator(base().issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(300))).build());
    }

    @Test
    void aTokenIssuedInTheFutureIs401() {
        Instant future = Instant.now().plus(Duration.ofMinutes(10));
        assertRefused(operator(base().audience(List.of(AUDIENCE)).issuedAt(future)
                .expiresAt(future.plusSeconds(300))).build());
    }

    @Test
    void aTokenLivingLongerThanTheMaximumIs401() {
        assertRefused(operator(base().audience(List.of(AUDIENCE)).issuedAt(Instant.now())
                .expiresAt(Instant.now().plus(Duration.ofDays(365)))).build());
    }

    @Test
    void aTokenWithoutIssuedAtButAFarExpiryIs401() {
        assertRefused(operator(base().audience(List.of(AUDIENCE))
                .expiresAt(Instant.now().plus(Duration.ofHours(2)))).build());
    }

    @Test
    void prometheusRefusesAnonymousCallers() {
        http.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void prometheusRefusesATenantAdmin() {
        http.get().uri("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION, "Bearer " + token(admin()))
                .exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void prometheusAnswersAnOperatorWithoutNamingTheDatabaseServer() {
        String body = http.get().uri("/actuator/prometheus")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token(operator(valid())))
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(body).contains("mongodb_driver_pool").doesNotContain("127.0.0.1:1").doesNotContain("server_address")
                .doesNotContain("cluster_id");
    }

    @Test
    void prometheusShowsLatencyHistogramsAndTheServicesCounters() {
        http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();

        String body = http.get().uri("/actuator/prometheus")
                .headers(headers -> headers.setBasicAuth("prometheus", SCRAPE_PASSWORD))
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(body).contains("http_server_requests_seconds_bucket{", "phishnet_scans_ingested_total{",
                "phishnet_backups_finished_total{", "application=\"phishnet-store\"");
    }

    @Test
    void prometheusAnswersTheScrapeCredential() {
        http.get().uri("/actuator/prometheus").headers(headers -> headers.setBasicAuth("prometheus", SCRAPE_PASSWORD))
                .exchange()
                .expectStatus().isOk();
    }

    @Test
    void aWrongScrapePasswordIs401() {
        http.get().uri("/actuator/prometheus").headers(headers -> headers.setBasicAuth("prometheus", "guess"))
                .exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void theScrapeCredentialOpensNothingButPrometheus() {
        http.get().uri("/actuator/metrics").headers(headers -> headers.setBasicAuth("prometheus", SCRAPE_PASSWORD))
                .exchange()
                .expectStatus().isUnauthorized();
        http.get().uri("/api/v1/users").headers(headers -> headers.setBasicAuth("prometheus", SCRAPE_PASSWORD))
                .exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void metricsRefuseAnonymousCallersAndTenantRoles() {
        http.get().uri("/actuator/metrics").exchange().expectStatus().isUnauthorized();
        for (String role : List.of("USER", "ANALYST", "ADMIN")) {
            http.get().uri("/actuator/metrics/jvm.memory.used")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + token(valid().claim("roles", List.of(role)).build()))
                    .exchange()
                    .expectStatus().isForbidden();
        }
    }

    @Test
    void livenessAndReadinessStayOpen() {
        http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        // Down without MongoDB, but answered, not refused.
        http.get().uri("/actuator/health/readiness").exchange().expectStatus().isEqualTo(503);
    }

    @Test
    void healthShowsNoDetailsToAnonymousCallersTenantAdminsOrTheScrapeCredential() {
        http.get().uri("/actuator/health").exchange()
                .expectBody().jsonPath("$.components.mongo.status").exists()
                .jsonPath("$.components.mongo.details").doesNotExist();
        http.get().uri("/actuator/health").header(HttpHeaders.AUTHORIZATION, "Bearer " + token(admin())).exchange()
                .expectBody().jsonPath("$.components.mongo.status").exists()
                .jsonPath("$.components.mongo.details").doesNotExist();
        http.get().uri("/actuator/health").headers(headers -> headers.setBasicAuth("prometheus", SCRAPE_PASSWORD))
                .exchange()
                .expectBody().jsonPath("$.components.mongo.status").exists()
                .jsonPath("$.components.mongo.details").doesNotExist();
    }

    @Test
    void healthShowsDetailsToAnOperator() {
        http.get().uri("/actuator/health").header(HttpHeaders.AUTHORIZATION, "Bearer " + token(operator(valid())))
                .exchange()
                .expectBody().jsonPath("$.components.mongo.status").exists()
                .jsonPath("$.components.mongo.details").exists();
    }

    @Test
    void theApiDocumentAndUiRefuseAnonymousCallers() {
        for (String path : List.of("/v3/api-docs", "/v3/api-docs.yaml", "/swagger-ui.html", "/swagger-ui/index.html")) {
            http.get().uri(path).exchange()
                    .expectStatus().isUnauthorized()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
    }

    @Test
    void theApiDocumentRefusesCallersWithoutAdminOrTheOperatorScope() {
        for (String role : List.of("USER", "ANALYST")) {
            http.get().uri("/v3/api-docs")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + token(valid().claim("roles", List.of(role)).build()))
                    .exchange()
                    .expectStatus().isForbidden();
        }
        http.get().uri("/v3/api-docs")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token(valid().claim("scope", "scans:write").build()))
                .exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void theApiDocumentAnswersAnAdminAndAnOperator() {
        http.get().uri("/v3/api-docs").header(HttpHeaders.AUTHORIZATION, "Bearer " + token(admin())).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.openapi").value(version -> assertThat(version.toString()).startsWith("3.1."));
        http.get().uri("/v3/api-docs").header(HttpHeaders.AUTHORIZATION, "Bearer " + token(operator(valid())))
                .exchange()
                .expectStatus().isOk();
    }

    private void assertRefused(JwtClaimsSet claims) {
        http.get().uri("/actuator/metrics").header(HttpHeaders.AUTHORIZATION, "Bearer " + token(claims)).exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.detail").isEqualTo("The bearer token was not accepted: it is malformed,"
                        + " not signed by a trusted key, expired, not yet valid, or not meant for this service.");
    }

    private static JwtClaimsSet.Builder base() {
        return JwtClaimsSet.builder().subject("u-1").claim("tenant", "acme");
    }

    private static JwtClaimsSet.Builder valid() {
        return base().audience(List.of(AUDIENCE)).issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(300));
    }

    private static JwtClaimsSet.Builder operator(JwtClaimsSet.Builder claims) {
        return claims.claim("scope", Scope.SERVICE_OPERATOR.value());
    }

    private static JwtClaimsSet admin() {
        return valid().claim("roles", List.of("ADMIN")).build();
    }

    private static String token(JwtClaimsSet.Builder claims) {
        return token(claims.build());
    }

    private static String token(JwtClaimsSet claims) {
        byte[] secret = Base64.getDecoder().decode(SECRET);
        return NimbusJwtEncoder.withSecretKey(new SecretKeySpec(secret, "HmacSHA256")).build()
                .encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims)).getTokenValue();
    }
}
