package com.phishnet.store.credentials;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Key rotation jobs by how they ended: {@value #ROTATIONS} with {@code outcome} completed or failed. A job counts
 * once, when its record leaves RUNNING; a job taken over by another instance meanwhile counts where it ends.
 */
@Component
public class KeyRotationMetrics {

    public static final String ROTATIONS = "phishnet.key.rotations";

    private final Counter completed;
    private final Counter failed;

    public KeyRotationMetrics(MeterRegistry meters) {
        this.completed = counter(meters, "completed");
        this.failed = counter(meters, "failed");
    }

    void completed() {
        completed.increment();
    }

    void failed() {
        failed.increment();
    }

    private static Counter counter(MeterRegistry meters, String outcome) {
        return Counter.builder(ROTATIONS).tag("outcome", outcome)
                .description("Data-key rotation jobs (re-sealing credentials under the primary key) that ended")
                .register(meters);
    }
}
