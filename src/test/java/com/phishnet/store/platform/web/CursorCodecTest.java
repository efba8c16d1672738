package com.phishnet.store.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import com.phishnet.store.platform.crypto.BlindIndex;
import com.phishnet.store.platform.crypto.KeyRing;
import com.phishnet.store.platform.web.CursorCodec.Position;
import org.junit.jupiter.api.Test;

class CursorCodecTest {

    private final CursorCodec codec = new CursorCodec(new BlindIndex(new KeyRing(Map.of("k", filled(1)), "k", filled(2))));
    private final Position position = new Position(Instant.parse("2026-11-23T10:00:00.123Z"), "scan-42");

    @Test
    void roundTripsAPosition() {
        String cursor = codec.encode("scans", position, "v=MALICIOUS");

        assertThat(codec.decode("scans", cursor, "v=MALICIOUS")).isEqualTo(position);
        assertThat(cursor).matches("[A-Za-z0-9_.-]+");
    }

    @Test
    void aTamperedCursorIsAValidationError() {
        String cursor = codec.encode("scans", position, "f");
        char[] chars = cursor.toCharArray();
        chars[3] = chars[3] == 'A' ? 'B' : 'A';

        assertThatThrownBy(() -> codec.decode("scans", new String(chars), "f"))
                .isInstanceOf(ApiException.InvalidField.class)
                .hasMessageContaining("not one this service issued");
    }

    @Test
    void aCursorForOtherFiltersIsRefused() {
        String cursor = codec.encode("scans", position, "v=MALICIOUS");

        assertThatThrownBy(() -> codec.decode("scans", cursor, "v=CLEAN"))
                .isInstanceOf(ApiException.InvalidField.class).hasMessageContaining("other filters");
    }

    @Test
    void aCursorOfAnotherListIsRefused() {
        String cursor = codec.encode("emails", position, "f");

        assertThatThrownBy(() -> codec.decode("scans", cursor, "f")).isInstanceOf(ApiException.InvalidField.class);
    }

    @Test
    void garbageIsRefusedNotAServerError() {
        for (String garbage : new String[] {"", ".", "abc", "abc.def", "%%%.xyz", "a".repeat(500)}) {
            assertThatThrownBy(() -> codec.decode("scans", garbage, "f")).as(garbage)
                    .isInstanceOf(ApiException.InvalidField.class);
        }
    }

    private static byte[] filled(int value) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) value);
        return key;
    }
}
