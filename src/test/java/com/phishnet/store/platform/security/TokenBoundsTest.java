package com.phishnet.store.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.phishnet.store.platform.web.InputBounds;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;

/** The token rules accept exactly the tenants and subjects the stored fields are sized for (InputBounds). */
class TokenBoundsTest {

    private static final String AUDIENCE = "phishnet-store-test";

    private final OAuth2TokenValidator<Jwt> validator = SecurityConfig.validator(
            new SecurityProperties.Jwt(null, null, null, AUDIENCE, Duration.ofSeconds(30), Duration.ofHours(24)),
            Clock.systemUTC());

    @Test
    void acceptsTheLongestTenantAndSubject() {
        assertThat(valid("t".repeat(InputBounds.TENANT_ID_MAX), "s".repeat(InputBounds.SUBJECT_MAX))).isTrue();
    }

    @Test
    void rejectsATenantOneCharacterTooLong() {
        assertThat(valid("t".repeat(InputBounds.TENANT_ID_MAX + 1), "s")).isFalse();
    }

    @Test
    void rejectsASubjectOneCharacterTooLong() {
        assertThat(valid("acme", "s".repeat(InputBounds.SUBJECT_MAX + 1))).isFalse();
    }

    @Test
    void rejectsATenantWithASeparatorThatCacheKeysRelyOnBeingAbsent() {
        assertThat(valid("acme:other", "s")).isFalse();
    }

    private boolean valid(String tenant, String subject) {
        Instant now = Instant.now();
        Jwt jwt = Jwt.withTokenValue("token").header("alg", "HS256").subject(subject).claim(JwtClaims.TENANT, tenant)
                .audience(java.util.List.of(AUDIENCE)).issuedAt(now.minusSeconds(10)).expiresAt(now.plusSeconds(300)).build();
        return !validator.validate(jwt).hasErrors();
    }
}
