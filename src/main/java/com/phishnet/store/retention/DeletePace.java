package com.phishnet.store.retention;

import java.time.Duration;

/**
 * How long a run waits after a batch of deletions so ingestion keeps its share of the primary: at least
 * {@code pause}, and long enough that deletions stay under {@code maxPerSecond} on average.
 */
record DeletePace(int batchSize, Duration pause, int maxPerSecond) {

    DeletePace {
        if (batchSize < 1 || maxPerSecond < 1 || pause.isNegative()) {
            throw new IllegalArgumentException("batch size and rate must be positive, the pause not negative");
        }
    }

    /** The wait after a batch that deleted {@code deleted} documents in {@code took}. */
    Duration after(long deleted, Duration took) {
        Duration budget = Duration.ofNanos(deleted * 1_000_000_000L / maxPerSecond);
        Duration rest = budget.minus(took);
        return rest.compareTo(pause) > 0 ? rest : pause;
    }
}
