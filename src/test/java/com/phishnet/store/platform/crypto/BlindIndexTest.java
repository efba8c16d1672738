package com.phishnet.store.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class BlindIndexTest {

    private final BlindIndex index = new BlindIndex(new KeyRing(Map.of("k1", FieldCipherTest.bytes(1)), "k1",
            FieldCipherTest.bytes(3)));

    @Test
    void isDeterministicSoItCanBeQueried() {
        assertThat(index.of("account:acme", "ann@example.com")).isEqualTo(index.of("account:acme", "ann@example.com"));
    }

    @Test
    void isA43CharacterUrlSafeValue() {
        assertThat(index.of("account:acme", "ann@example.com")).hasSize(43).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void separatesDomains() {
        assertThat(index.of("account:acme", "ann@example.com")).isNotEqualTo(index.of("account:globex", "ann@example.com"));
    }

    @Test
    void dependsOnTheKey() {
        BlindIndex other = new BlindIndex(new KeyRing(Map.of("k1", FieldCipherTest.bytes(1)), "k1", FieldCipherTest.bytes(4)));

        assertThat(other.of("account:acme", "ann@example.com")).isNotEqualTo(index.of("account:acme", "ann@example.com"));
    }

    @Test
    void cannotBeConfusedByMovingTheSeparator() {
        assertThat(index.of("ab", "c")).isNotEqualTo(index.of("a", "bc"));
    }
}
