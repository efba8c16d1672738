package com.phishnet.store.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** What a run plans when more (collection, tenant) pairs need it than a run record holds. */
class RetentionRunsTest {

    private static final Instant BEFORE = Instant.parse("2026-09-07T02:00:00Z");

    @Test
    void withinTheBoundEveryTallyIsPlannedInOrder() {
        List<RetentionRun.Tally> tallies = List.of(tally("t-1", 0, 3), tally("t-2", 5, 0));

        assertThat(RetentionRuns.bounded(tallies)).isSameAs(tallies);
    }

    @Test
    void beyondTheBoundWhatHasSomethingToDeleteComesFirstSoHeldOnlyPairsCannotStarveIt() {
        List<RetentionRun.Tally> tallies = new ArrayList<>();
        for (int i = 0; i < RetentionFields.MAX_TALLIES; i++) {
            tallies.add(tally("held-" + i, 0, 1));
        }
        tallies.add(tally("late-1", 7, 0));
        tallies.add(tally("late-2", 2, 1));

        List<RetentionRun.Tally> planned = RetentionRuns.bounded(tallies);

        assertThat(planned).hasSize(RetentionFields.MAX_TALLIES);
        assertThat(planned.subList(0, 2)).extracting(RetentionRun.Tally::tenantId).containsExactly("late-1", "late-2");
        assertThat(planned).extracting(RetentionRun.Tally::tenantId).doesNotContain("held-" + (RetentionFields.MAX_TALLIES - 1))
                .contains("held-0");
    }

    private static RetentionRun.Tally tally(String tenant, long expired, long skipped) {
        return new RetentionRun.Tally("emails_meta", tenant, BEFORE, expired, skipped, 0);
    }
}
