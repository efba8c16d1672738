package com.phishnet.store.platform.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.phishnet.store.support.RedisFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** Redis DOWN shows in the cache component's details while the component, like the service, stays UP. */
class CacheHealthIndicatorTest {

    private final RedisFixture fixture = new RedisFixture();
    private final CacheHealthIndicator indicator = new CacheHealthIndicator(fixture.redis());

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void reportsRedisUpWhenItAnswers() {
        Health health = indicator.health().block();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("redis", "UP");
    }

    @Test
    void reportsRedisDownWithoutTakingTheServiceDown() {
        fixture.kill();

        Health health = indicator.health().block();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("redis", "DOWN").containsKey("circuitBreaker");
    }
}
