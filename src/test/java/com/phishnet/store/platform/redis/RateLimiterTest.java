package com.phishnet.store.platform.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import com.phishnet.store.platform.redis.RateLimiter.Decision;
import com.phishnet.store.support.MutableClock;
import com.phishnet.store.support.RedisFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Fixed-window limits in a real redis-server, and the local fallback when it dies. */
class RateLimiterTest {

    private static final Duration WINDOW = Duration.ofMillis(400);

    private final RedisFixture fixture = new RedisFixture();
    private final MutableClock clock = new MutableClock(java.time.Instant.parse("2026-11-23T10:00:00Z"));
    private final RateLimiter limiter = new RateLimiter(fixture.redis(), clock, fixture.meters());

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void allowsExactlyTheLimitAndRefusesTheNextWithTheTimeLeft() {
        List<Decision> decisions = Flux.range(0, 6).concatMap(i -> limiter.acquire("t:boundary", 5, Duration.ofSeconds(30)))
                .collectList().block();

        assertThat(decisions.subList(0, 5)).allMatch(Decision::allowed);
        assertThat(decisions.get(5).allowed()).isFalse();
        assertThat(decisions.get(5).retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(30));
        assertThat(decisions).noneMatch(Decision::local);
    }

    @Test
    void aChargeThatDoesNotFitWholeIsRefusedWithoutConsumingAnything() {
        assertThat(limiter.charge("t:cost", 7, 10, Duration.ofSeconds(30)).block().allowed()).isTrue();
        Decision refused = limiter.charge("t:cost", 4, 10, Duration.ofSeconds(30)).block();
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfter()).isPositive();
        // The refused 4 were not charged: 3 still fit, and single requests share the counter.
        assertThat(limiter.charge("t:cost", 3, 10, Duration.ofSeconds(30)).block().allowed()).isTrue();
        assertThat(limiter.acquire("t:cost", 10, Duration.ofSeconds(30)).block().allowed()).isFalse();
        assertThat(limiter.chargeLocally("t:local-cost", 7, 10, Duration.ofSeconds(30)).allowed()).isTrue();
        assertThat(limiter.chargeLocally("t:local-cost", 4, 10, Duration.ofSeconds(30)).allowed()).isFalse();
        assertThat(limiter.chargeLocally("t:local-cost", 3, 10, Duration.ofSeconds(30)).allowed()).isTrue();
    }

    @Test
    void concurrentRequestsAreCountedAtomically() {
        long allowed = Flux.range(0, 50).flatMap(i -> limiter.acquire("t:atomic", 20, Duration.ofSeconds(30)), 50)
                .filter(Decision::allowed).count().block();

        assertThat(allowed).isEqualTo(20);
    }

    @Test
    void theWindowResetsWhenItEnds() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire("t:reset", 3, WINDOW).block();
        }
        assertThat(limiter.acquire("t:reset", 3, WINDOW).block().allowed()).isFalse();

        // Redis expires the window on its own clock: wait it out once.
        Mono.delay(WINDOW.plusMillis(100)).block();

        assertThat(limiter.acquire("t:reset", 3, WINDOW).block().allowed()).isTrue();
    }

    @Test
    void withoutRedisTheSameLimitsHoldLocallyAndTheFallbackIsCounted() {
        fixture.kill();

        List<Decision> decisions = Flux.range(0, 4).concatMap(i -> limiter.acquire("t:local", 3, Duration.ofMinutes(1)))
                .collectList().block();

        assertThat(decisions).allMatch(Decision::local);
        assertThat(decisions.subList(0, 3)).allMatch(Decision::allowed);
        assertThat(decisions.get(3).allowed()).isFalse();
        assertThat(fixture.meters().find("phishnet.ratelimit.decisions").tag("mode", "local").counters())
                .isNotEmpty();
    }

    @Test
    void theLocalWindowResetsOnTheInjectedClock() {
        for (int i = 0; i < 2; i++) {
            limiter.acquireLocally("t:clock", 2, Duration.ofSeconds(10));
        }
        assertThat(limiter.acquireLocally("t:clock", 2, Duration.ofSeconds(10)).allowed()).isFalse();

        clock.advance(Duration.ofSeconds(10));

        assertThat(limiter.acquireLocally("t:clock", 2, Duration.ofSeconds(10)).allowed()).isTrue();
    }

}
