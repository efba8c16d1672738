package com.phishnet.store.streams;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/** What the streams report: subscribers, events sent, overflows, resumes, resets, catch-ups and delivery lag. */
@Component
public class StreamMetrics {

    static final String PREFIX = "phishnet.streams.";
    // The meter names, public for the dashboard's check (docs/grafana) and docs/performance.md.
    public static final String SUBSCRIBERS = PREFIX + "subscribers";
    public static final String EVENTS_SENT = PREFIX + "events.sent";
    public static final String DELIVERY_LAG = PREFIX + "delivery.lag";
    public static final String CATCHUP_CURSORS = PREFIX + "catchup.cursors";
    public static final String OVERFLOWS = PREFIX + "overflows";
    public static final String RESUMES = PREFIX + "resumes";
    public static final String RESETS = PREFIX + "resets";

    private final MeterRegistry registry;
    private final Map<StreamKind, AtomicInteger> subscribers = new EnumMap<>(StreamKind.class);
    private final AtomicInteger catchUps = new AtomicInteger();
    private final Map<StreamKind, Timer> lag = new EnumMap<>(StreamKind.class);
    private final Map<StreamKind, Counter> sent = new EnumMap<>(StreamKind.class);

    public StreamMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (StreamKind kind : StreamKind.values()) {
            AtomicInteger count = new AtomicInteger();
            subscribers.put(kind, count);
            Gauge.builder(SUBSCRIBERS, count, AtomicInteger::get).tag("stream", kind.tag())
                    .description("Clients following the stream on this instance").register(registry);
            sent.put(kind, Counter.builder(EVENTS_SENT).tag("stream", kind.tag())
                    .description("Change events written to clients").register(registry));
            lag.put(kind, Timer.builder(DELIVERY_LAG).tag("stream", kind.tag())
                    .description("From the change's commit to its write to a client").publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(1))
                    .register(registry));
        }
        Gauge.builder(CATCHUP_CURSORS, catchUps, AtomicInteger::get)
                .description("Catch-up cursors of resuming clients open on this instance").register(registry);
    }

    void subscribed(StreamKind kind, int delta) {
        subscribers.get(kind).addAndGet(delta);
    }

    void sent(StreamKind kind, Duration sinceCommit) {
        sent.get(kind).increment();
        if (!sinceCommit.isNegative()) {
            lag.get(kind).record(sinceCommit);
        }
    }

    void overflowed(StreamKind kind) {
        registry.counter(OVERFLOWS, "stream", kind.tag()).increment();
    }

    /** A client came back with Last-Event-ID. */
    void clientResumed(StreamKind kind) {
        registry.counter(RESUMES, "stream", kind.tag(), "by", "client").increment();
    }

    /** The shared cursor reopened after a failure. */
    void cursorResumed(StreamKind kind) {
        registry.counter(RESUMES, "stream", kind.tag(), "by", "cursor").increment();
    }

    void reset(StreamKind kind) {
        registry.counter(RESETS, "stream", kind.tag()).increment();
    }

    void catchUp(int delta) {
        catchUps.addAndGet(delta);
    }
}
