package com.phishnet.store.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.phishnet.store.platform.crypto.BlindIndex;
import com.phishnet.store.platform.crypto.KeyRing;
import com.phishnet.store.platform.crypto.KeyedHash;
import org.junit.jupiter.api.Test;

/**
 * Keys are stored as HMAC-SHA-256 under a key derived for API keys alone: not a plain hash, not the blind-index key
 * itself, not shared with another purpose; and compared as a whole.
 */
class ApiKeyHashingTest {

    private static final byte[] BLIND_INDEX_KEY = filled(7);
    private static final String KEY = "pnk_abcdefgh2345_" + "Q".repeat(43);

    private final KeyRing ring = new KeyRing(Map.of("k1", filled(1)), "k1", BLIND_INDEX_KEY);
    private final KeyedHash hashes = new KeyedHash(ring, ApiKeyConfig.HASH_PURPOSE);

    @Test
    void theHashIsA43CharacterBase64urlHmacThatIsStableAcrossInstances() {
        String hash = hashes.of(KEY);

        assertThat(hash).hasSize(ApiKeyFields.HASH_LENGTH).matches(ApiKeyFields.HASH_PATTERN);
        assertThat(new KeyedHash(new KeyRing(Map.of("k1", filled(1)), "k1", BLIND_INDEX_KEY),
                ApiKeyConfig.HASH_PURPOSE).of(KEY)).isEqualTo(hash);
    }

    @Test
    void theHashIsNeitherAPlainHashNorAnHmacUnderTheBlindIndexKeyNorTheBlindIndexItself() throws Exception {
        String hash = hashes.of(KEY);

        assertThat(hash).isNotEqualTo(base64(java.security.MessageDigest.getInstance("SHA-256")
                .digest(KEY.getBytes(StandardCharsets.UTF_8))));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(BLIND_INDEX_KEY, "HmacSHA256"));
        assertThat(hash).isNotEqualTo(base64(mac.doFinal(KEY.getBytes(StandardCharsets.UTF_8))));
        assertThat(hash).isNotEqualTo(new BlindIndex(ring).of(ApiKeyConfig.HASH_PURPOSE, KEY));
    }

    @Test
    void anotherPurposeOrAnotherServerKeyGivesAnUnrelatedHash() {
        assertThat(new KeyedHash(ring, "other-purpose").of(KEY)).isNotEqualTo(hashes.of(KEY));
        assertThat(new KeyedHash(new KeyRing(Map.of("k1", filled(1)), "k1", filled(8)), ApiKeyConfig.HASH_PURPOSE)
                .of(KEY)).isNotEqualTo(hashes.of(KEY));
    }

    @Test
    void onlyTheExactKeyMatches() {
        String stored = hashes.of(KEY);

        assertThat(hashes.matches(KEY, stored)).isTrue();
        assertThat(hashes.matches(KEY.substring(0, KEY.length() - 1) + "R", stored)).isFalse();
        assertThat(hashes.matches("pnk_abcdefgh2346_" + "Q".repeat(43), stored)).isFalse();
        assertThat(hashes.matches(KEY, null)).isFalse();
        assertThat(hashes.matches(KEY, stored.substring(1))).isFalse();
        // The stored hash presented as a key is no key.
        assertThat(hashes.matches(stored, stored)).isFalse();
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] filled(int value) {
        byte[] key = new byte[KeyRing.KEY_BYTES];
        Arrays.fill(key, (byte) value);
        return key;
    }
}
