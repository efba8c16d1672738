package com.phishnet.store.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The wall clock moved by an offset a test sets: the application sees a later "now" while everything it stored
 * keeps real timestamps, so a test can reach an expiry without writing past instants the server's TTL monitor
 * would act on.
 */
public final class OffsetClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    public void jump(Duration by) {
        offset = offset.plus(by);
    }

    public void reset() {
        offset = Duration.ZERO;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
