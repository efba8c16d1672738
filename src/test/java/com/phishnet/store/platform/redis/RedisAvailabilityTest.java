package com.phishnet.store.platform.redis;

import java.time.Duration;

import com.phishnet.store.support.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import reactor.test.StepVerifier;

/** Against a real redis-server started on a free port. */
class RedisAvailabilityTest {

    private LettuceConnectionFactory connections;

    @AfterEach
    void closeConnections() {
        if (connections != null) {
            connections.destroy();
        }
    }

    @Test
    void reportsARunningServerAsReachable() {
        try (RedisServer redis = RedisServer.start()) {
            StepVerifier.create(availability(redis.port()).reachable()).expectNext(true).verifyComplete();
        }
    }

    @Test
    void reportsAServerThatWentAwayAsUnreachableWithoutFailing() {
        RedisServer redis = RedisServer.start();
        RedisAvailability availability = availability(redis.port());
        StepVerifier.create(availability.reachable()).expectNext(true).verifyComplete();

        redis.close();

        StepVerifier.create(availability.reachable()).expectNext(false).verifyComplete();
    }

    private RedisAvailability availability(int port) {
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port),
                LettuceClientConfiguration.builder().commandTimeout(Duration.ofMillis(500)).build());
        connections.afterPropertiesSet();
        connections.start();
        return new RedisAvailability(connections);
    }
}
