package com.phishnet.store.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.phishnet.store.backup.ArchiveRange.Part;
import com.phishnet.store.platform.web.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Resuming a download: which bytes each {@code Range} asks for, and when the whole archive is sent instead. */
class ArchiveRangeTest {

    private static final long TOTAL = 1000;
    private static final String TAG = "\"abc\"";

    @Test
    void noRangeIsTheWholeArchive() {
        assertThat(ArchiveRange.WHOLE.resolve(TOTAL, TAG)).isEqualTo(new Part(0, TOTAL, false));
    }

    @Test
    void anOpenRangeResumesFromItsFirstByteToTheEnd() {
        assertThat(new ArchiveRange("bytes=400-", null).resolve(TOTAL, TAG)).isEqualTo(new Part(400, 600, true));
    }

    @Test
    void aClosedRangeIsInclusiveAndClampedToTheEnd() {
        assertThat(new ArchiveRange("bytes=0-99", null).resolve(TOTAL, TAG)).isEqualTo(new Part(0, 100, true));
        assertThat(new ArchiveRange("bytes=900-5000", null).resolve(TOTAL, TAG)).isEqualTo(new Part(900, 100, true));
    }

    @Test
    void aSuffixRangeIsTheLastBytes() {
        assertThat(new ArchiveRange("bytes=-10", null).resolve(TOTAL, TAG)).isEqualTo(new Part(990, 10, true));
        assertThat(new ArchiveRange("bytes=-5000", null).resolve(TOTAL, TAG)).isEqualTo(new Part(0, TOTAL, true));
    }

    @Test
    void aRangeStartingPastTheEndIs416WithTheSize() {
        assertThatThrownBy(() -> new ArchiveRange("bytes=1000-", null).resolve(TOTAL, TAG))
                .isInstanceOfSatisfying(ApiException.RangeNotSatisfiable.class,
                        refused -> assertThat(refused.size()).isEqualTo(TOTAL));
        assertThatThrownBy(() -> new ArchiveRange("bytes=-0", null).resolve(TOTAL, TAG))
                .isInstanceOf(ApiException.RangeNotSatisfiable.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"items=0-10", "bytes=0-10,20-30", "bytes=abc-", "bytes=10-5", "bytes=", "bytes=-",
            "bytes=99999999999999999999-", "bytes=1-2-3", "bytes=+1-2", "bytes=0x10-"})
    void aRangeItCannotServeIsIgnoredAndTheWholeArchiveSent(String header) {
        assertThat(new ArchiveRange(header, null).resolve(TOTAL, TAG)).isEqualTo(new Part(0, TOTAL, false));
    }

    @Test
    void anIfRangeNamingAnotherArchiveGetsTheWholeOne() {
        assertThat(new ArchiveRange("bytes=400-", "\"other\"").resolve(TOTAL, TAG)).isEqualTo(new Part(0, TOTAL, false));
        assertThat(new ArchiveRange("bytes=400-", TAG).resolve(TOTAL, TAG)).isEqualTo(new Part(400, 600, true));
    }
}
