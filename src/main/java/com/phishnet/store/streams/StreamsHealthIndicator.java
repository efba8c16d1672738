package com.phishnet.store.streams;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * The {@code streams} health component: UP while every shared change-stream cursor is open (or not yet needed),
 * DEGRADED while one resumes after a failure. Clients' streams stay open meanwhile; they only wait.
 */
@Component("streamsHealthIndicator")
public class StreamsHealthIndicator extends AbstractHealthIndicator {

    /** Ordered between DOWN and UP in application.yaml, answered with 200: nothing is refused while it lasts. */
    public static final Status DEGRADED = new Status("DEGRADED", "A change stream is resuming after a failure");

    private final StreamService streams;

    public StreamsHealthIndicator(StreamService streams) {
        this.streams = streams;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean reconnecting = false;
        for (Map.Entry<StreamKind, SharedStream<?>> entry : streams.sharedStreams().entrySet()) {
            SharedStream<?> shared = entry.getValue();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("cursor", shared.state().name());
            details.put("subscribers", shared.subscribers());
            if (shared.lastFailureAt() != null) {
                details.put("lastFailureAt", shared.lastFailureAt().toString());
                details.put("lastFailure", shared.lastFailure());
            }
            builder.withDetail(entry.getKey().tag(), details);
            reconnecting |= shared.state() == SharedStream.State.RECONNECTING;
        }
        builder.status(reconnecting ? DEGRADED : Status.UP);
    }
}
