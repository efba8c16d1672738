package com.phishnet.store.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** CursorCodecJmh decodes a cursor that is accepted, so it measures the whole check rather than a refusal. */
class CursorCodecJmhTest {

    @Test
    void theBenchmarkedCursorDecodesToItsPosition() {
        CursorCodecJmh benchmark = new CursorCodecJmh();
        benchmark.setUp();

        assertThat(benchmark.decode()).isEqualTo(CursorCodecJmh.POSITION);
        assertThat(benchmark.codec.decode(CursorCodecJmh.SCOPE, benchmark.encode(), CursorCodecJmh.FILTERS))
                .isEqualTo(CursorCodecJmh.POSITION);
    }
}
