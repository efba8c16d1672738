package com.phishnet.store.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.oauth2.jwt.Jwt;

class CallerTest {

    private final Caller analyst = new Caller("u-1", "acme", Set.of(Role.ANALYST), Set.of("scans:write"), "ip", "ua", "r");

    @Test
    void aMissingRoleIsRefused() {
        assertThatThrownBy(() -> analyst.requireAnyRole(Role.ADMIN)).isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void anyOfTheRolesIsEnough() {
        assertThatCode(() -> analyst.requireAnyRole(Role.ADMIN, Role.ANALYST)).doesNotThrowAnyException();
    }

    @Test
    void aUserMayActOnThemselvesWithoutTheRole() {
        assertThatCode(() -> analyst.requireSelfOrAnyRole("u-1", Role.ADMIN)).doesNotThrowAnyException();
        assertThatThrownBy(() -> analyst.requireSelfOrAnyRole("u-2", Role.ADMIN)).isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void theReadSecretScopeMustBeExplicit() {
        assertThatThrownBy(() -> analyst.requireScope(Caller.READ_SECRET_SCOPE))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("credentials:read-secret");
    }

    @Test
    void readsRolesCaseInsensitivelyAndIgnoresUnknownOnes() {
        Jwt jwt = jwt(Map.of("roles", List.of("admin", "Analyst", "superuser")));

        assertThat(CallerArgumentResolver.roles(jwt)).containsExactlyInAnyOrder(Role.ADMIN, Role.ANALYST);
    }

    @Test
    void readsSpaceSeparatedScopes() {
        assertThat(CallerArgumentResolver.scopes(jwt(Map.of("scope", "credentials:read-secret  scans:write"))))
                .containsExactlyInAnyOrder("credentials:read-secret", "scans:write");
    }

    @Test
    void readsScopeLists() {
        assertThat(CallerArgumentResolver.scopes(jwt(Map.of("scp", List.of("a", "b"))))).containsExactlyInAnyOrder("a", "b");
    }

    private static Jwt jwt(Map<String, Object> claims) {
        Jwt.Builder builder = Jwt.withTokenValue("t").header("alg", "HS256").subject("u-1").claim("tenant", "acme")
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(60));
        claims.forEach(builder::claim);
        return builder.build();
    }
}
