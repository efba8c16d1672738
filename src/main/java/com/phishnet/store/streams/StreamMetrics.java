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
            Gauge.builder(PREFIX + "subscribers", count, AtomicInteger::get).tag("stream", kind.tag())
                    .description("Clients following the stream on this instance").register(registry);
            sent.put(kind, Counter.builder(PREFIX + "events.sent").tag("stream", kind.tag())
                    .description("Change events written to clients").register(registry));
            lag.put(kind, Timer.builder(PREFIX + "delivery.lag").tag("stream", kind.tag())
                    .description("From the change's commit to its write to a client").publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(1))
                    .register(registry));
        }
        Gauge.builder(PREFIX + "catchup.cursors", catchUps, AtomicInteger::get)
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
        registry.counter(PREFIX + "overflows", "stream", kind.tag()).increment();
    }

    /** A client came back with Last-Event-ID. */
    void clientResumed(StreamKind kind) {
        registry.counter(PREFIX + "resumes", "stream", kind.tag(), "by", "client").increment();
    }

    /** The shared cursor reopened after a failure. */
    void cursorResumed(StreamKind kind) {
        registry.counter(PREFIX + "resumes", "stream", kind.tag(), "by", "cursor").increment();
    }

    void reset(StreamKind kind) {
        registry.counter(PREFIX + "resets", "stream", kind.tag()).increment();
    }

    void catchUp(int delta) {
        catchUps.addAndGet(delta);
    }
}
