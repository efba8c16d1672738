package com.phishnet.store.retention;

import java.time.Duration;
import java.time.Instant;

/**
 * One kind of data's effective policy for a tenant: how many days it is kept, where that number comes from, and
 * the instant before which it has expired now.
 */
public record RetentionPolicy(RetainedData data, String collection, int days, Source source, Instant expiresBefore) {

    public enum Source {
        /** The service's setting (phishnet.retention.days). */
        DEFAULT,
        /** The tenant's override. */
        TENANT,
        /** The server expires it (time-series expireAfterSeconds); not overridable. */
        SERVER
    }

    static RetentionPolicy of(RetainedData data, int days, Source source, Instant now) {
        return new RetentionPolicy(data, data.collection(), days, source, now.minus(Duration.ofDays(days)));
    }
}
