package com.phishnet.store.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;

import org.junit.jupiter.api.Test;

/** Backup keys as configured: the current one and retired ones, each checked before the first backup needs it. */
class BackupKeysTest {

    private static final String A = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String B = Base64.getEncoder().encodeToString(filled(32, 7));

    @Test
    void theCurrentKeyComesFirstThenEveryPreviousOne() {
        var keys = BackupKeys.parse("backup-3", A, "backup-1:" + B + ", backup-2:" + A);

        assertThat(keys).containsOnlyKeys("backup-3", "backup-1", "backup-2");
        assertThat(keys.keySet()).first().isEqualTo("backup-3");
        assertThat(keys.get("backup-1")).isEqualTo(filled(32, 7));
    }

    @Test
    void previousKeysAloneStillOpenOldArchivesWithoutSealingNewOnes() {
        var encryption = new BackupProperties.Encryption("backup-1", null, "backup-0:" + B);

        assertThat(encryption.enabled()).isFalse();
        assertThat(encryption.keys()).containsOnlyKeys("backup-0");
    }

    @Test
    void aMalformedKeyOrIdIsRefusedWithTheReason() {
        assertThatThrownBy(() -> BackupKeys.parse("backup-1", "not base64!", null)).hasMessageContaining("not base64");
        assertThatThrownBy(() -> BackupKeys.parse("backup-1", Base64.getEncoder().encodeToString(new byte[16]), null))
                .hasMessageContaining("32 bytes").hasMessageContaining("16");
        assertThatThrownBy(() -> BackupKeys.parse("bad id", A, null)).hasMessageContaining("key id");
        assertThatThrownBy(() -> BackupKeys.parse("backup-1", A, "backup-1:" + B)).hasMessageContaining("twice");
        assertThatThrownBy(() -> BackupKeys.parse("backup-1", A, B)).hasMessageContaining("id:base64");
    }

    @Test
    void theSettingsNeverPrintAKey() {
        assertThat(new BackupProperties.Encryption("backup-1", A, "backup-0:" + B).toString())
                .doesNotContain(A).doesNotContain(B).contains("***");
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
