package com.phishnet.store.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArchiveCipherTest {

    static final int CHUNK = 1024;
    static final byte[] KEY = new byte[32];
    static final byte[] OTHER_KEY = new byte[32];

    static {
        new Random(1).nextBytes(KEY);
        new Random(2).nextBytes(OTHER_KEY);
    }

    static final Function<String, Optional<byte[]>> KEYS = id -> Optional.ofNullable(Map.of("backup-1", KEY).get(id));

    static byte[] plain(int length) {
        byte[] plain = new byte[length];
        new Random(length).nextBytes(plain);
        return plain;
    }

    static byte[] encrypt(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArchiveCipher.encrypt(new ByteArrayInputStream(plain), out, "backup-1", KEY, new SecureRandom(), CHUNK);
        return out.toByteArray();
    }

    static byte[] decrypt(byte[] sealed, Function<String, Optional<byte[]>> keys) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArchiveCipher.decrypt(new ByteArrayInputStream(sealed), out, keys);
        return out.toByteArray();
    }

    static int headerLength() {
        return ArchiveCipher.MAGIC.length + 1 + 1 + "backup-1".length() + 12 + 4;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 500})
    void whatIsEncryptedDecryptsToTheSameBytes(int length) {
        byte[] plain = plain(length);
        byte[] sealed = encrypt(plain);
        assertThat(ArchiveCipher.isEncrypted(sealed)).isTrue();
        assertThat(ArchiveCipher.isEncrypted(plain)).isFalse();
        // Every chunk carries a tag, and a plaintext that fills its chunks ends with an empty one.
        assertThat(sealed).hasSize(headerLength() + length + 16 * (length / CHUNK + 1));
        assertThat(decrypt(sealed, KEYS)).isEqualTo(plain);
    }

    @Test
    void twoEncryptionsOfTheSameArchiveDiffer() {
        byte[] plain = plain(5000);
        assertThat(encrypt(plain)).isNotEqualTo(encrypt(plain));
    }

    @Test
    void theWrongKeyIsRefusedAsSuch() {
        byte[] sealed = encrypt(plain(5000));
        assertThatThrownBy(() -> decrypt(sealed, id -> Optional.of(OTHER_KEY)))
                .isInstanceOf(ArchiveCorruptException.class)
                .hasMessageContaining("Chunk 0").hasMessageContaining("key is wrong");
    }

    @Test
    void aKeyTheServiceLacksIsNamed() {
        byte[] sealed = encrypt(plain(10));
        assertThatThrownBy(() -> decrypt(sealed, id -> Optional.empty()))
                .isInstanceOf(ArchiveCipher.MissingBackupKeyException.class)
                .hasMessageContaining("'backup-1'");
    }

    @Test
    void aFlippedByteAnywhereIsCaught() {
        byte[] sealed = encrypt(plain(3 * CHUNK + 10));
        for (int at = 0; at < sealed.length; at += 97) {
            byte[] flipped = sealed.clone();
            flipped[at] ^= 0x10;
            int position = at;
            assertThatThrownBy(() -> decrypt(flipped, KEYS)).as("flipped at %d", position)
                    .isInstanceOfAny(ArchiveCorruptException.class, ArchiveCipher.MissingBackupKeyException.class);
        }
    }

    @Test
    void anArchiveCutShortAtAChunkBoundaryOrInsideOneIsCaught() {
        byte[] sealed = encrypt(plain(3 * CHUNK + 10));
        int fullChunk = CHUNK + 16;
        for (int length : new int[] {headerLength() + fullChunk, headerLength() + 2 * fullChunk,
                headerLength() + fullChunk + 100, sealed.length - 1, headerLength()}) {
            byte[] cut = Arrays.copyOf(sealed, length);
            assertThatThrownBy(() -> decrypt(cut, KEYS)).as("cut to %d bytes", length)
                    .isInstanceOf(ArchiveCorruptException.class);
        }
    }

    @Test
    void chunksInAnotherOrderAreCaught() {
        byte[] sealed = encrypt(plain(3 * CHUNK + 10));
        int start = headerLength();
        int fullChunk = CHUNK + 16;
        byte[] swapped = sealed.clone();
        System.arraycopy(sealed, start, swapped, start + fullChunk, fullChunk);
        System.arraycopy(sealed, start + fullChunk, swapped, start, fullChunk);
        assertThatThrownBy(() -> decrypt(swapped, KEYS)).isInstanceOf(ArchiveCorruptException.class)
                .hasMessageContaining("Chunk 0");
    }

    @Test
    void aPlainTarIsNotTakenForAnEncryptedArchive() {
        assertThatThrownBy(() -> decrypt("manifest.json".getBytes(), KEYS)).isInstanceOf(ArchiveCorruptException.class)
                .hasMessageContaining("not encrypted by this service");
    }
}
