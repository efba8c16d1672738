package com.phishnet.store.support;

import java.time.Duration;

import com.phishnet.store.platform.redis.CacheProperties;
import com.phishnet.store.platform.redis.ResilientRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * The service's Redis stack (Lettuce, template, breaker-wrapped operations) against a real redis-server on a
 * free port, with a short breaker so recovery is observable in a test.
 */
public final class RedisFixture implements AutoCloseable {

    public static final Duration BREAKER_OPEN_FOR = Duration.ofMillis(300);

    private final int port;
    private RedisServer server;
    private final LettuceConnectionFactory connections;
    private final ReactiveStringRedisTemplate template;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ResilientRedis redis;

    public RedisFixture() {
        this.server = RedisServer.start();
        this.port = server.port();
        this.connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port),
                LettuceClientConfiguration.builder().commandTimeout(Duration.ofMillis(500)).build());
        connections.afterPropertiesSet();
        connections.start();
        this.template = new ReactiveStringRedisTemplate(connections);
        this.redis = new ResilientRedis(template, new CacheProperties(Duration.ofMillis(250), 50, 4, 2,
                BREAKER_OPEN_FOR, 1), meters);
    }

    public ResilientRedis redis() {
        return redis;
    }

    public ReactiveStringRedisTemplate template() {
        return template;
    }

    public SimpleMeterRegistry meters() {
        return meters;
    }

    /** Kills the server as a crash would. */
    public void kill() {
        server.close();
    }

    /** Starts a new server on the same port; clients reconnect by themselves. */
    public void restart() {
        server = RedisServer.start(port);
    }

    public double counted(String cache, String result) {
        var counter = meters.find("phishnet.cache.requests").tag("cache", cache).tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() {
        connections.destroy();
        server.close();
    }
}
