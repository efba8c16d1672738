package com.phishnet.store.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher.MatchResult;

/** The X-API-Key filter's parts: when it applies, what a verified key becomes, and what it refuses. */
class ApiKeyAuthenticationTest {

    private static final Jwt KEY_CLAIMS = Jwt.withTokenValue("api-key").header("typ", "api-key").subject("api-key:k-1")
            .claim(JwtClaims.TENANT, "acme").claim(JwtClaims.ROLES, List.of()).claim(JwtClaims.SCOPE, "scans:write")
            .issuedAt(Instant.parse("2026-12-06T10:00:00Z")).expiresAt(Instant.parse("2026-12-06T11:00:00Z")).build();

    private final AtomicInteger verified = new AtomicInteger();

    @Test
    void theFilterAppliesToEveryRequestWithTheHeaderAndNoOther() {
        assertThat(matches(MockServerHttpRequest.get("/api/v1/scans").header("X-API-Key", "x"))).isTrue();
        assertThat(matches(MockServerHttpRequest.get("/api/v1/scans").header("X-API-Key", ""))).isTrue();
        assertThat(matches(MockServerHttpRequest.get("/api/v1/scans").header("Authorization", "Bearer x"))).isFalse();
        assertThat(matches(MockServerHttpRequest.get("/api/v1/scans"))).isFalse();
    }

    @Test
    void aVerifiedKeyBecomesATokenWithItsScopesAndNoRole() {
        Authentication authenticated = authenticate(MockServerHttpRequest.post("/api/v1/scans").header("X-API-Key", "k"),
                key -> Mono.just(KEY_CLAIMS)).block();

        assertThat(authenticated).isInstanceOf(JwtAuthenticationToken.class);
        assertThat(authenticated.getName()).isEqualTo("api-key:k-1");
        assertThat(authenticated.getAuthorities()).extracting(GrantedAuthority::getAuthority)
                .containsExactly("SCOPE_scans:write");
        // The per-principal rate limit keys on the key, as it keys on a token's subject.
        assertThat(RateLimitFilter.principalKey(authenticated)).isEqualTo("acme:api-key:k-1");
    }

    @Test
    void aKeyTheVerifierDoesNotAcceptIsRejectedWithTheOneGenericText() {
        StepVerifier.create(authenticate(MockServerHttpRequest.post("/api/v1/scans").header("X-API-Key", "k"),
                        key -> Mono.empty()))
                .expectErrorSatisfies(failure -> assertThat(failure).isInstanceOf(ApiKeyRejectedException.class)
                        .hasMessage(ApiKeyRejectedException.DETAIL))
                .verify();
    }

    @Test
    void aKeyNextToABearerTokenOrAStreamTicketIsRejectedWithoutBeingVerified() {
        for (MockServerHttpRequest.BaseBuilder<?> request : List.of(
                MockServerHttpRequest.post("/api/v1/scans").header("X-API-Key", "k").header("Authorization", "Bearer t"),
                MockServerHttpRequest.get("/api/v1/streams/scans?ticket=t").header("X-API-Key", "k"))) {
            StepVerifier.create(authenticate(request, key -> Mono.just(KEY_CLAIMS)))
                    .expectErrorSatisfies(failure -> assertThat(failure).hasMessage(ApiKeyRejectedException.BOTH))
                    .verify();
        }
        assertThat(verified).hasValue(0);
    }

    @Test
    void twoKeyHeadersAreRejectedWithoutBeingVerified() {
        StepVerifier.create(authenticate(MockServerHttpRequest.post("/api/v1/scans").header("X-API-Key", "a", "b"),
                        key -> Mono.just(KEY_CLAIMS)))
                .expectError(ApiKeyRejectedException.class).verify();
        assertThat(verified).hasValue(0);
    }

    private static boolean matches(MockServerHttpRequest.BaseBuilder<?> request) {
        return ApiKeyAuthentication.matcher().matches(MockServerWebExchange.from(request)).map(MatchResult::isMatch)
                .block();
    }

    private Mono<Authentication> authenticate(MockServerHttpRequest.BaseBuilder<?> request, ApiKeyVerifier verifier) {
        ApiKeyVerifier counting = key -> {
            verified.incrementAndGet();
            return verifier.verify(key);
        };
        return ApiKeyAuthentication.converter().convert(MockServerWebExchange.from(request))
                .flatMap(presented -> ApiKeyAuthentication.manager(counting).authenticate(presented));
    }
}
