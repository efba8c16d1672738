package com.phishnet.store.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import com.phishnet.store.platform.crypto.CryptoProperties;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/** Startup refusals of unsafe token settings, and the lifetime rules, without starting the web server. */
class SecuritySettingsTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    private final ApplicationContextRunner decoder = new ApplicationContextRunner()
            .withUserConfiguration(DecoderOnly.class)
            .withPropertyValues("phishnet.crypto.dev-secrets-file=target/test-data/dev-secrets.properties",
                    "phishnet.security.jwt.audience=phishnet-store");

    @Test
    void theLocalProfileRefusesToStartNextToAConfiguredSecret() {
        decoder.withInitializer(context -> context.getEnvironment().setActiveProfiles("local"))
                .withPropertyValues("phishnet.security.jwt.secret=c2VjcmV0LWZvci10ZXN0cy1vbmx5LTAxMjM0NTY3ODlhYmNkZWY=")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOf(SecurityConfigurationException.class).hasMessageContaining("'local' profile"));
    }

    @Test
    void theLocalProfileRefusesToStartNextToAJwkSetUri() {
        decoder.withInitializer(context -> context.getEnvironment().setActiveProfiles("local"))
                .withPropertyValues("phishnet.security.jwt.jwk-set-uri=https://idp.example/jwks")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOf(SecurityConfigurationException.class));
    }

    @Test
    void theLocalProfileAloneStartsWithTheGeneratedSecret() {
        decoder.withInitializer(context -> context.getEnvironment().setActiveProfiles("local"))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(ReactiveJwtDecoder.class));
    }

    @Test
    void outsideTheLocalProfileAnAudienceIsRequired() {
        new ApplicationContextRunner().withUserConfiguration(DecoderOnly.class)
                .withPropertyValues("phishnet.security.jwt.secret=c2VjcmV0LWZvci10ZXN0cy1vbmx5LTAxMjM0NTY3ODlhYmNkZWY=")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOf(SecurityConfigurationException.class).hasMessageContaining("audience"));
    }

    @Test
    void aWideClockSkewIsRefused() {
        assertThatThrownBy(() -> SecurityConfig.checkSettings(jwt(Duration.ofHours(1), Duration.ofHours(1)), false))
                .isInstanceOf(SecurityConfigurationException.class).hasMessageContaining("clock-skew");
    }

    @Test
    void aPlaintextScrapePasswordIsRefused() {
        assertThatThrownBy(() -> SecurityConfig.scrapeAuthentication(new SecurityProperties.Metrics("prometheus",
                "hunter2"))).isInstanceOf(SecurityConfigurationException.class).hasMessageNotContaining("hunter2");
    }

    @Test
    void theFailureAnalysisNamesTheFix() {
        FailureAnalysis analysis = new com.phishnet.store.platform.ConfigurationRefusedFailureAnalyzer().analyze(new IllegalStateException(
                new SecurityConfigurationException("local next to a secret", "remove local")));

        assertThat(analysis.getDescription()).isEqualTo("local next to a secret");
        assertThat(analysis.getAction()).isEqualTo("remove local");
    }

    @Test
    void aTokenIssuedBeyondTheSkewInTheFutureIsRefused() {
        assertThat(lifetime().validate(token(NOW.plusSeconds(31), NOW.plusSeconds(600))).hasErrors()).isTrue();
    }

    @Test
    void aTokenIssuedWithinTheSkewIsAccepted() {
        assertThat(lifetime().validate(token(NOW.plusSeconds(29), NOW.plusSeconds(600))).hasErrors()).isFalse();
    }

    @Test
    void aTokenLivingLongerThanTheMaximumIsRefused() {
        assertThat(lifetime().validate(token(NOW, NOW.plus(Duration.ofHours(1)).plusSeconds(1))).hasErrors()).isTrue();
    }

    @Test
    void withoutIssuedAtTheRemainingLifetimeIsBounded() {
        assertThat(lifetime().validate(token(null, NOW.plus(Duration.ofHours(2)))).hasErrors()).isTrue();
        assertThat(lifetime().validate(token(null, NOW.plus(Duration.ofMinutes(30)))).hasErrors()).isFalse();
    }

    @Test
    void aSecretAndAJwkSetUriTogetherAreRefused() {
        assertThatThrownBy(() -> SecurityConfig.checkSettings(new SecurityProperties.Jwt("c2VjcmV0",
                "https://idp.example/jwks", null, "phishnet-store", Duration.ofSeconds(30), Duration.ofHours(1)), false))
                .isInstanceOf(SecurityConfigurationException.class).hasMessageContaining("Both");
    }

    @Test
    void aTenantClaimThatIsNotTextIsAnInvalidTokenNotAnError() {
        Jwt token = Jwt.withTokenValue("t").header("alg", "HS256").subject("u-1").claim("tenant", java.util.List.of("acme"))
                .audience(java.util.List.of("phishnet-store")).issuedAt(NOW).expiresAt(NOW.plusSeconds(60)).build();

        assertThat(SecurityConfig.validator(jwt(Duration.ofSeconds(30), Duration.ofHours(1)), clock())
                .validate(token).hasErrors()).isTrue();
    }

    @Test
    void aTokenWithoutExpiryIsRefusedByTheValidatorChain() {
        Jwt token = Jwt.withTokenValue("t").header("alg", "HS256").subject("u-1").claim("tenant", "acme")
                .audience(java.util.List.of("phishnet-store")).issuedAt(NOW).build();

        assertThat(SecurityConfig.validator(jwt(Duration.ofSeconds(30), Duration.ofHours(1)), clock())
                .validate(token).hasErrors()).isTrue();
    }

    private static TokenLifetimeValidator lifetime() {
        return new TokenLifetimeValidator(Duration.ofSeconds(30), Duration.ofHours(1), clock());
    }

    private static Clock clock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    private static Jwt token(Instant issuedAt, Instant expiresAt) {
        Jwt.Builder builder = Jwt.withTokenValue("t").header("alg", "HS256").subject("u-1").expiresAt(expiresAt);
        if (issuedAt != null) {
            builder.issuedAt(issuedAt);
        }
        return builder.build();
    }

    private static SecurityProperties.Jwt jwt(Duration skew, Duration maxLifetime) {
        return new SecurityProperties.Jwt(null, null, null, "phishnet-store", skew, maxLifetime);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({SecurityProperties.class, CryptoProperties.class})
    static class DecoderOnly {

        @Bean
        ReactiveJwtDecoder jwtDecoder(SecurityProperties properties, CryptoProperties crypto, Environment environment) {
            return new SecurityConfig().jwtDecoder(properties, crypto, new SecureRandom(), clock(), environment);
        }
    }
}
