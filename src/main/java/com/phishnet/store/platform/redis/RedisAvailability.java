package com.phishnet.store.platform.redis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Redis is a cache, never the system of record: the service starts whether or not it is reachable, and
 * says once, at startup, which of the two it is. Later changes show in health and metrics.
 */
@Component
public class RedisAvailability {

    private static final Logger log = LoggerFactory.getLogger(RedisAvailability.class);

    private final ResilientRedis redis;

    public RedisAvailability(ResilientRedis redis) {
        this.redis = redis;
    }

    @EventListener(ApplicationReadyEvent.class)
    void reportOnce() {
        // Fire and forget: a log line, not a step that may delay readiness.
        redis.ping().subscribe(up -> {
            if (up) {
                log.info("Redis is reachable: the cache is in use");
            }
            else {
                log.warn("Redis is not reachable: running without the cache; every read is served by MongoDB");
            }
        });
    }
}
