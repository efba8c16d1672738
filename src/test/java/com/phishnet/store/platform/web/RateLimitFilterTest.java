package com.phishnet.store.platform.web;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

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
import reactor.core.publisher.Mono;

/** The filter over a real redis-server: the first matching group applies, and a refusal is a 429 problem. */
class RateLimitFilterTest {

    private final RedisFixture fixture = new RedisFixture();
    private final RateLimitProperties properties = new RateLimitProperties(true, Duration.ofMinutes(1), List.of(
            new RateLimitProperties.Group("admin", null, "/api/v1/admin/**", 100, 2),
            new RateLimitProperties.Group("api", "GET", "/api/v1/**", 100, 3)));
    private final RateLimitFilter filter = new RateLimitFilter(properties,
            new RateLimiter(fixture.redis(), new MutableClock(Instant.now()), fixture.meters()));
    private final WebTestClient http = WebTestClient.bindToController(new Pings())
            .webFilter(new RequestIdFilter(() -> "rid"), filter)
            .configureClient().build()
            .mutateWith((builder, httpHandlerBuilder, connector) -> {
                if (httpHandlerBuilder != null) {
                    httpHandlerBuilder.exceptionHandlers(handlers ->
                            handlers.add(0, new ProblemDetailsHandler(ServerCodecConfigurer.create())));
                }
            });

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void theFourthRequestOfTheWindowIs429WithRetryAfter() {
        for (int i = 0; i < 3; i++) {
            http.get().uri("/api/v1/ping").exchange().expectStatus().isOk();
        }

        http.get().uri("/api/v1/ping").exchange()
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
            http.get().uri("/api/v1/admin/ping").exchange().expectStatus().isOk();
        }
        http.get().uri("/api/v1/admin/ping").exchange().expectStatus().isEqualTo(429);
        http.get().uri("/api/v1/ping").exchange().expectStatus().isOk();
    }

    @Test
    void routesOutsideEveryGroupAreNotLimited() {
        for (int i = 0; i < 10; i++) {
            http.get().uri("/health-like").exchange().expectStatus().isOk();
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
