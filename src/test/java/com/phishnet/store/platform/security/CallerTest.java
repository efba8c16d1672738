package com.phishnet.store.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Access.Scope;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.jwt.Jwt;

class CallerTest {

    private final Caller analyst = new Caller("u-1", "acme", Set.of(Role.ANALYST), Set.of("scans:write"), "ip", "ua", "r");

    @Test
    void aScopeIsHeldByItsWireValue() {
        assertThat(analyst.has(Scope.SCANS_WRITE)).isTrue();
        assertThat(analyst.has(Scope.SERVICE_OPERATOR)).isFalse();
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
    void aScopeNamedTwiceIsOneScope() {
        assertThat(CallerArgumentResolver.scopes(jwt(Map.of("scope", "scans:write scans:write"))))
                .containsExactly("scans:write");
        assertThat(CallerArgumentResolver.scopes(jwt(Map.of("scp", List.of("a", "a"))))).containsExactly("a");
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
