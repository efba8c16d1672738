package com.phishnet.store.platform.redis;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Redis is a cache, never the system of record: the service starts whether or not it is reachable, and
 * says once, at startup, which of the two it is.
 */
@Component
public class RedisAvailability {

    private static final Logger log = LoggerFactory.getLogger(RedisAvailability.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final ReactiveRedisConnectionFactory connections;

    public RedisAvailability(ReactiveRedisConnectionFactory connections) {
        this.connections = connections;
    }

    /** Emits whether Redis answered a PING in time; never errors. */
    public Mono<Boolean> reachable() {
        return Mono.usingWhen(Mono.fromSupplier(connections::getReactiveConnection),
                        connection -> connection.ping().map("PONG"::equalsIgnoreCase),
                        ReactiveRedisConnection::closeLater)
                .timeout(PROBE_TIMEOUT)
                .onErrorReturn(false);
    }

    @EventListener(ApplicationReadyEvent.class)
    void reportOnce() {
        reachable().subscribe(up -> {
            if (up) {
                log.info("Redis is reachable: the cache is in use");
            }
            else {
                log.warn("Redis is not reachable: running without the cache; every read is served by MongoDB");
            }
        });
    }
}
