package com.phishnet.store.platform.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.phishnet.store.support.RedisFixture;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Against a real redis-server: hits, misses, TTLs, and what happens when Redis dies and comes back. */
class ResilientRedisTest {

    private final RedisFixture fixture = new RedisFixture();
    private final ResilientRedis redis = fixture.redis();

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aStoredValueIsAHitAndAnAbsentOneAMiss() {
        StepVerifier.create(redis.set("c", "k1", "v1", Duration.ofMinutes(1)).then(redis.get("c", "k1")))
                .expectNext(Optional.of("v1")).verifyComplete();
        StepVerifier.create(redis.get("c", "nothing")).expectNext(Optional.empty()).verifyComplete();

        assertThat(fixture.counted("c", "hit")).isEqualTo(1);
        assertThat(fixture.counted("c", "miss")).isEqualTo(1);
    }

    @Test
    void theTimeToLiveIsTheOneAskedFor() {
        redis.set("c", "k2", "v", Duration.ofSeconds(90)).block();

        Duration ttl = redis.ttl("k2").block().orElseThrow();
        assertThat(ttl).isBetween(Duration.ofSeconds(85), Duration.ofSeconds(90));
    }

    @Test
    void aDeletedEntryIsGone() {
        redis.set("c", "k3", "v", Duration.ofMinutes(1)).then(redis.delete("c", "k3")).block();

        StepVerifier.create(redis.get("c", "k3")).expectNext(Optional.empty()).verifyComplete();
    }

    @Test
    void whenRedisDiesCallsAnswerEmptyQuicklyAndTheBreakerOpens() {
        fixture.kill();

        for (int i = 0; i < 5; i++) {
            Instant start = Instant.now();
            StepVerifier.create(redis.get("c", "k")).expectNext(Optional.empty()).verifyComplete();
            assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(2));
        }
        assertThat(redis.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(fixture.counted("c", "error") + fixture.counted("c", "bypassed")).isEqualTo(5);
        StepVerifier.create(redis.ping()).expectNext(false).verifyComplete();
    }

    @Test
    void whenRedisReturnsTheBreakerClosesByItself() {
        fixture.kill();
        for (int i = 0; i < 4; i++) {
            redis.get("c", "k").block();
        }
        assertThat(redis.state()).isEqualTo(CircuitBreaker.State.OPEN);

        fixture.restart();

        assertThat(eventually(() -> redis.set("c", "back", "yes", Duration.ofMinutes(1)).then(redis.get("c", "back"))
                .map(value -> value.isPresent()))).isTrue();
        assertThat(redis.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    /** Retries a probe until it holds, for at most five seconds: recovery happens on the breaker's clock. */
    static boolean eventually(java.util.function.Supplier<Mono<Boolean>> probe) {
        Instant deadline = Instant.now().plusSeconds(5);
        while (Instant.now().isBefore(deadline)) {
            if (Boolean.TRUE.equals(probe.get().block())) {
                return true;
            }
            Mono.delay(RedisFixture.BREAKER_OPEN_FOR).block();
        }
        return false;
    }
}
