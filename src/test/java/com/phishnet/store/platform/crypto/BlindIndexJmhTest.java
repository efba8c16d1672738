package com.phishnet.store.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** BlindIndexJmh measures a full index: the 43-character value a credential is stored and found under. */
class BlindIndexJmhTest {

    @Test
    void computesTheAccountIndex() {
        BlindIndexJmh benchmark = new BlindIndexJmh();
        benchmark.setUp();

        assertThat(benchmark.accountIndex()).hasSize(43).isEqualTo(benchmark.index.of(BlindIndexJmh.DOMAIN, BlindIndexJmh.ACCOUNT));
    }
}
