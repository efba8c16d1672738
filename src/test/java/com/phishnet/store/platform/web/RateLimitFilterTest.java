package com.phishnet.store.platform.web;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.phishnet.store.platform.security.RateLimitFilter;
import com.phishnet.store.platform.redis.RateLimitProperties;
import com.phishnet.store.platform.redis.RateLimiter;
import com.phishnet.store.support.MutableClock;
import com.phishnet.store.support.RedisFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The limit filters over a real redis-server: the first matching group applies, a refusal is a 429 problem,
 * the IP budget is spent before authentication, and principals are tenant + subject.
 */
class RateLimitFilterTest {

    private final RedisFixture fixture = new RedisFixture();
    private final RateLimitProperties properties = new RateLimitProperties(true, Duration.ofMinutes(1), List.of(
            new RateLimitProperties.Group("admin", null, "/api/v1/admin/**", 100, 2),
            new RateLimitProperties.Group("api", "GET", "/api/v1/**", 100, 3)));
    private final RateLimiter limiter = new RateLimiter(fixture.redis(), new MutableClock(Instant.now()), fixture.meters());
    private final RateLimitProperties principalLimits = new RateLimitProperties(true, Duration.ofMinutes(1), List.of(
            new RateLimitProperties.Group("api", null, "/api/v1/**", 2, 100)));
    // In the application's order: request id, client address, per-IP limit, authentication (a stand-in that
    // answers 401 without a bearer token and otherwise signs in its subject@tenant), per-principal limit.
    private final WebTestClient http = client(properties);
    private final WebTestClient perPrincipal = client(principalLimits);
    private WebTestClient client(RateLimitProperties limits) {
        return WebTestClient.bindToController(new Pings())
                .webFilter(new RequestIdFilter(() -> "rid"), new ClientAddressFilter(new TrustedProxies(List.of())),
                        new IpRateLimitFilter(limits, limiter), new BearerStandIn(), new RateLimitFilter(limits, limiter))
                .configureClient().build()
                .mutateWith((builder, httpHandlerBuilder, connector) -> {
                    if (httpHandlerBuilder != null) {
                        httpHandlerBuilder.exceptionHandlers(handlers ->
                                handlers.add(0, new ProblemDetailsHandler(ServerCodecConfigurer.create())));
                    }
                });
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void theFourthRequestOfTheWindowIs429WithRetryAfter() {
        for (int i = 0; i < 3; i++) {
            http.get().uri("/api/v1/ping").header("Authorization", "Bearer ann@acme").exchange().expectStatus().isOk();
        }

        http.get().uri("/api/v1/ping").header("Authorization", "Bearer ann@acme").exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().value(HttpHeaders.RETRY_AFTER, value -> org.assertj.core.api.Assertions
                        .assertThat(Long.parseLong(value)).isBetween(1L, 60L))
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:phishnet:problem:too-many-requests")
                .jsonPath("$.requestId").isEqualTo("rid");
    }

    @Test
    void theFirstMatchingGroupDecides() {
        for (int i = 0; i < 2; i++) {
            http.get().uri("/api/v1/admin/ping").header("Authorization", "Bearer ann@acme").exchange().expectStatus().isOk();
        }
        http.get().uri("/api/v1/admin/ping").header("Authorization", "Bearer ann@acme").exchange().expectStatus().isEqualTo(429);
        http.get().uri("/api/v1/ping").header("Authorization", "Bearer ann@acme").exchange().expectStatus().isOk();
    }

    @Test
    void unauthenticatedRequestsCountAgainstTheIpAndAre429BeforeAuthentication() {
        for (int i = 0; i < 3; i++) {
            http.get().uri("/api/v1/ping").exchange().expectStatus().isUnauthorized();
        }

        // Over the per-IP budget: refused before any token is looked at, valid or not.
        http.get().uri("/api/v1/ping").exchange().expectStatus().isEqualTo(429);
        http.get().uri("/api/v1/ping").header("Authorization", "Bearer ann@acme").exchange().expectStatus().isEqualTo(429);
    }

    @Test
    void theSameSubjectInTwoTenantsHasTwoBudgets() {
        for (int i = 0; i < 2; i++) {
            perPrincipal.get().uri("/api/v1/ping").header("Authorization", "Bearer ann@acme").exchange().expectStatus().isOk();
        }
        perPrincipal.get().uri("/api/v1/ping").header("Authorization", "Bearer ann@acme").exchange()
                .expectStatus().isEqualTo(429);

        perPrincipal.get().uri("/api/v1/ping").header("Authorization", "Bearer ann@globex").exchange().expectStatus().isOk();
    }

    @Test
    void routesOutsideEveryGroupAreNotLimited() {
        for (int i = 0; i < 10; i++) {
            http.get().uri("/health-like").exchange().expectStatus().isOk();
        }
    }

    /** Stands in for Spring Security: 401 without a bearer token, else signs in "subject@tenant". */
    static class BearerStandIn implements WebFilter {

        @Override
        public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
            String header = exchange.getRequest().getHeaders().getFirst("Authorization");
            if (header == null || !exchange.getRequest().getPath().value().startsWith("/api/")) {
                return header == null && exchange.getRequest().getPath().value().startsWith("/api/")
                        ? Mono.error(new BadCredentialsException("no token")) : chain.filter(exchange);
            }
            String[] who = header.substring("Bearer ".length()).split("@");
            var token = new JwtAuthenticationToken(Jwt.withTokenValue("t").header("alg", "none").subject(who[0])
                    .claim("tenant", who[1]).build(), List.of(), who[0]);
            return chain.filter(exchange).contextWrite(ReactiveSecurityContextHolder.withAuthentication(token));
        }
    }

    @RestController
    static class Pings {

        @GetMapping({"/api/v1/ping", "/api/v1/admin/ping", "/health-like"})
        Mono<String> ping() {
            return Mono.just("pong");
        }
    }
}
