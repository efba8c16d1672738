package com.phishnet.store.platform.redis;

import java.util.function.Supplier;

import reactor.core.publisher.Mono;

/** Shares the recovery probe of {@link ResilientRedisTest} with tests in other packages. */
public final class ResilientRedisTestAccess {

    private ResilientRedisTestAccess() {
    }

    public static boolean eventually(Supplier<Mono<Boolean>> probe) {
        return ResilientRedisTest.eventually(probe);
    }
}
