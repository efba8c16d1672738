package com.phishnet.store.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CryptoConfigTest {

    private static final String K1 = Base64.getEncoder().encodeToString(FieldCipherTest.bytes(1));
    private static final String K2 = Base64.getEncoder().encodeToString(FieldCipherTest.bytes(2));
    private static final String INDEX = Base64.getEncoder().encodeToString(FieldCipherTest.bytes(9));

    @Test
    void readsSeveralKeysAndTheirPrimaryFromTheEnvironment() {
        KeyRing ring = CryptoConfig.load(properties("k1:" + K1 + ", k2:" + K2, "k2", INDEX, null, false, null),
                new SecureRandom());

        assertThat(ring.primaryKeyId()).isEqualTo("k2");
        assertThat(ring.toString()).doesNotContain(K1).contains("k1", "k2");
    }

    @Test
    void aSingleKeyIsPrimaryWithoutSayingSo() {
        assertThat(CryptoConfig.load(properties("only:" + K1, null, INDEX, null, false, null), new SecureRandom())
                .primaryKeyId()).isEqualTo("only");
    }

    @Test
    void refusesSeveralKeysWithoutAPrimary() {
        assertThatThrownBy(() -> CryptoConfig.load(properties("k1:" + K1 + ",k2:" + K2, null, INDEX, null, false, null),
                new SecureRandom()))
                .isInstanceOf(SecretsMissingException.class).hasMessageContaining("primary-key-id");
    }

    @Test
    void refusesAShortKeyWithoutPrintingIt() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);

        assertThatThrownBy(() -> CryptoConfig.load(properties("k1:" + shortKey, null, INDEX, null, false, null),
                new SecureRandom()))
                .isInstanceOf(SecretsMissingException.class)
                .hasMessageContaining("32 bytes")
                .hasMessageNotContaining(shortKey);
    }

    @Test
    void refusesABlindIndexKeyEqualToADataKey() {
        assertThatThrownBy(() -> CryptoConfig.load(properties("k1:" + K1, null, K1, null, false, null), new SecureRandom()))
                .isInstanceOf(SecretsMissingException.class).hasMessageContaining("differ");
    }

    @Test
    void readsAKeyFile(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("keys.properties");
        Files.writeString(file, "data-keys=k7:" + K1 + "\nprimary-key-id=k7\nblind-index-key=" + INDEX + "\n");

        assertThat(CryptoConfig.load(properties(null, null, null, file, false, null), new SecureRandom()).primaryKeyId())
                .isEqualTo("k7");
    }

    @Test
    void withoutKeysOutsideTheLocalProfileStartupFails() {
        assertThatThrownBy(() -> CryptoConfig.load(properties(null, null, null, null, false, null), new SecureRandom()))
                .isInstanceOf(SecretsMissingException.class);
    }

    @Test
    void theLocalProfileGeneratesKeysOnceAndKeepsThem(@TempDir Path directory) {
        Path file = directory.resolve("dev/secrets.properties");
        CryptoProperties local = properties(null, null, null, null, true, file);
        FieldContext context = new FieldContext("t", "c", "d", "f");

        Sealed sealed = new FieldCipher(CryptoConfig.load(local, new SecureRandom()), new SecureRandom()).seal("v", context);
        FieldCipher afterRestart = new FieldCipher(CryptoConfig.load(local, new SecureRandom()), new SecureRandom());

        assertThat(Files.exists(file)).isTrue();
        assertThat(afterRestart.open(sealed, context)).isEqualTo("v");
    }

    private static CryptoProperties properties(String keys, String primary, String index, Path file, boolean dev,
            Path devFile) {
        return new CryptoProperties(keys, primary, index, file, dev, devFile);
    }
}
