package com.phishnet.store.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.phishnet.store.support.RenderedBson;
import org.junit.jupiter.api.Test;

/** A run's record changes only from the state it is expected in: a stopped worker overwrites nothing. */
class RetentionRunQueriesTest {

    @Test
    void aPhaseMovesOnlyFromThatPhaseWhileTheRunIsRunning() {
        assertThat(RenderedBson.filter(RetentionRunRepository.running("r-1", RetentionRun.Phase.ARCHIVING), RetentionRun.class))
                .isEqualTo("{\"_id\": \"r-1\", \"state\": \"RUNNING\", \"phase\": \"ARCHIVING\"}");
    }

    @Test
    void aRunEndsItselfOnlyWhileRunningAndNotDone() {
        assertThat(RenderedBson.filter(RetentionRunRepository.running("r-1", null), RetentionRun.class))
                .isEqualTo("{\"_id\": \"r-1\", \"state\": \"RUNNING\", \"phase\": {\"$ne\": \"DONE\"}}");
    }

    @Test
    void aLaterRunSettlesEveryOtherRunNotDoneYetAndEachOnlyOnce() {
        assertThat(RenderedBson.filter(RetentionRunRepository.notDone("r-0"), RetentionRun.class))
                .isEqualTo("{\"_id\": \"r-0\", \"phase\": {\"$ne\": \"DONE\"}}");
        assertThat(RenderedBson.filter(RetentionRunRepository.unfinishedQuery("r-1"), RetentionRun.class))
                .isEqualTo("{\"phase\": {\"$ne\": \"DONE\"}, \"_id\": {\"$ne\": \"r-1\"}}");
    }

    @Test
    void anArchiveIsHeldWhileTheRunThatWroteItIsNotDone() {
        assertThat(RenderedBson.filter(RetentionRunRepository.unfinishedWithArchiveQuery("a-1"), RetentionRun.class))
                .isEqualTo("{\"archiveId\": \"a-1\", \"phase\": {\"$ne\": \"DONE\"}}");
    }
}
