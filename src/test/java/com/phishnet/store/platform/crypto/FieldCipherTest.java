package com.phishnet.store.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.api.Test;

class FieldCipherTest {

    private static final HexFormat HEX = HexFormat.of();

    private final byte[] oldKey = bytes(1);
    private final byte[] newKey = bytes(2);
    private final byte[] indexKey = bytes(3);
    private final KeyRing ring = new KeyRing(Map.of("k1", oldKey), "k1", indexKey);
    private final FieldCipher cipher = new FieldCipher(ring, new SecureRandom());
    private final FieldContext context = new FieldContext("acme", "oauth_credentials", "cred-1", "accessToken");

    @ParameterizedTest(name = "RFC 8452 vector {index}")
    @CsvFileSource(resources = "/rfc8452-aes256-gcm-siv.csv", nullValues = "")
    void matchesTheRfc8452KnownAnswers(String key, String nonce, String aad, String plaintext, String expected) {
        byte[] sealed = FieldCipher.process(true, HEX.parseHex(key), HEX.parseHex(nonce), hex(aad), hex(plaintext));

        assertThat(HEX.formatHex(sealed)).isEqualTo(expected);
        assertThat(FieldCipher.process(false, HEX.parseHex(key), HEX.parseHex(nonce), hex(aad), sealed))
                .isEqualTo(hex(plaintext));
    }

    @Test
    void roundTripsUnderThePrimaryKey() {
        Sealed sealed = cipher.seal("ya29.a0-secret-token", context);

        assertThat(sealed.keyId()).isEqualTo("k1");
        assertThat(cipher.open(sealed, context)).isEqualTo("ya29.a0-secret-token");
    }

    @Test
    void usesAFreshNonceForEveryValue() {
        Sealed first = cipher.seal("same", context);
        Sealed second = cipher.seal("same", context);

        assertThat(first.ciphertext()).isNotEqualTo(second.ciphertext());
    }

    @Test
    void theStoredBytesDoNotContainThePlaintext() {
        Sealed sealed = cipher.seal("plaintext-marker-123", context);

        assertThat(new String(sealed.ciphertext(), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("plaintext-marker-123");
        assertThat(sealed.toString()).doesNotContain("plaintext-marker-123");
    }

    @Test
    void rejectsEveryFlippedBit() {
        Sealed sealed = cipher.seal("token", context);
        for (int bit = 0; bit < sealed.ciphertext().length * 8; bit++) {
            byte[] tampered = sealed.ciphertext().clone();
            tampered[bit / 8] ^= (byte) (1 << (bit % 8));
            Sealed altered = new Sealed("k1", tampered);
            assertThatThrownBy(() -> cipher.open(altered, context)).as("bit %d", bit)
                    .isInstanceOf(DecryptionFailedException.class);
        }
    }

    @Test
    void rejectsCiphertextMovedToAnotherDocument() {
        Sealed sealed = cipher.seal("token", context);

        assertThatThrownBy(() -> cipher.open(sealed, new FieldContext("acme", "oauth_credentials", "cred-2", "accessToken")))
                .isInstanceOf(DecryptionFailedException.class)
                .hasMessageContaining("cred-2")
                .hasMessageNotContaining("token\"");
    }

    @Test
    void rejectsCiphertextMovedToAnotherFieldTenantOrCollection() {
        Sealed sealed = cipher.seal("token", context);

        assertThatThrownBy(() -> cipher.open(sealed, new FieldContext("acme", "oauth_credentials", "cred-1", "refreshToken")))
                .isInstanceOf(DecryptionFailedException.class);
        assertThatThrownBy(() -> cipher.open(sealed, new FieldContext("globex", "oauth_credentials", "cred-1", "accessToken")))
                .isInstanceOf(DecryptionFailedException.class);
        assertThatThrownBy(() -> cipher.open(sealed, new FieldContext("acme", "users", "cred-1", "accessToken")))
                .isInstanceOf(DecryptionFailedException.class);
    }

    @Test
    void rejectsTheWrongKey() {
        Sealed sealed = cipher.seal("token", context);
        FieldCipher otherRing = new FieldCipher(new KeyRing(Map.of("k1", newKey), "k1", indexKey), new SecureRandom());

        assertThatThrownBy(() -> otherRing.open(sealed, context)).isInstanceOf(DecryptionFailedException.class);
    }

    @Test
    void rejectsAKeyIdRelabelledOnTheCiphertext() {
        KeyRing both = new KeyRing(Map.of("k1", oldKey, "k2", oldKey.clone()), "k1", indexKey);
        FieldCipher twoKeys = new FieldCipher(both, new SecureRandom());
        Sealed sealed = twoKeys.seal("token", context);

        // Same key bytes, other label: the key id is bound into the associated data.
        assertThatThrownBy(() -> twoKeys.open(new Sealed("k2", sealed.ciphertext()), context))
                .isInstanceOf(DecryptionFailedException.class);
    }

    @Test
    void namesAnUnknownKeyWithoutLeakingAnything() {
        assertThatThrownBy(() -> cipher.open(new Sealed("gone", new byte[40]), context))
                .isInstanceOf(DecryptionFailedException.class)
                .hasMessageContaining("'gone'");
    }

    @Test
    void olderKeysStillOpenWhatTheySealedAfterRotation() {
        Sealed underOld = cipher.seal("token", context);
        FieldCipher rotated = new FieldCipher(new KeyRing(Map.of("k1", oldKey, "k2", newKey), "k2", indexKey),
                new SecureRandom());

        assertThat(rotated.open(underOld, context)).isEqualTo("token");
        assertThat(rotated.isSealedWithPrimary(underOld)).isFalse();
        Sealed underNew = rotated.seal("token", context);
        assertThat(underNew.keyId()).isEqualTo("k2");
        assertThat(rotated.isSealedWithPrimary(underNew)).isTrue();
    }

    @Test
    void rejectsATruncatedValue() {
        assertThatThrownBy(() -> cipher.open(new Sealed("k1", new byte[10]), context))
                .isInstanceOf(DecryptionFailedException.class);
    }

    private static byte[] hex(String value) {
        return value == null ? new byte[0] : HEX.parseHex(value);
    }

    static byte[] bytes(int fill) {
        byte[] key = new byte[KeyRing.KEY_BYTES];
        java.util.Arrays.fill(key, (byte) fill);
        return key;
    }
}
