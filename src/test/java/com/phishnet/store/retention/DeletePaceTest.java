package com.phishnet.store.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** Batch pacing: at least the pause, and no faster than the configured rate on average. */
class DeletePaceTest {

    private final DeletePace pace = new DeletePace(1000, Duration.ofMillis(50), 10_000);

    @Test
    void aFullBatchDeletedFastWaitsOutItsShareOfTheRate() {
        // 1000 documents at 10,000/s take 100 ms of budget; 30 ms were spent deleting.
        assertThat(pace.after(1000, Duration.ofMillis(30))).isEqualTo(Duration.ofMillis(70));
    }

    @Test
    void aSlowBatchStillPausesSoIngestionGetsTheServerBetweenBatches() {
        assertThat(pace.after(1000, Duration.ofMillis(400))).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void aBatchThatDeletedNothingOnlyPauses() {
        assertThat(pace.after(0, Duration.ZERO)).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThatThrownBy(() -> new DeletePace(0, Duration.ZERO, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeletePace(1, Duration.ofMillis(-1), 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
