package com.phishnet.store.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

class RateLimitFilterKeyTest {

    @Test
    void thePrincipalKeyIsTenantThenSubject() {
        var token = new JwtAuthenticationToken(Jwt.withTokenValue("t").header("alg", "none").subject("ann")
                .claim(JwtClaims.TENANT, "acme").build(), List.of(), "ann");

        assertThat(RateLimitFilter.principalKey(token)).isEqualTo("acme:ann");
    }
}
