package com.phishnet.store.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The inputs FieldCipherJmh measures: both ciphers seal and open the benchmarked values, of the benchmarked sizes. */
class FieldCipherJmhTest {

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {40, 2048})
    void bothCiphersRoundTripTheBenchmarkedValue(int size) {
        FieldCipherJmh benchmark = setUp(size);

        assertThat(benchmark.plaintext.getBytes(StandardCharsets.UTF_8)).hasSize(size);
        assertThat(benchmark.gcmSivOpen()).isEqualTo(benchmark.plaintext);
        assertThat(benchmark.jdkGcmOpen()).isEqualTo(benchmark.plaintext);
        assertThat(benchmark.gcmSiv.open(benchmark.gcmSivSeal(), benchmark.context)).isEqualTo(benchmark.plaintext);
        assertThat(benchmark.jdkGcm.open(benchmark.jdkGcmSeal(), benchmark.context)).isEqualTo(benchmark.plaintext);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {40, 2048})
    void bothStoreNonceCiphertextAndTagAlike(int size) {
        FieldCipherJmh benchmark = setUp(size);

        assertThat(benchmark.jdkGcmSeal().ciphertext()).hasSize(FieldCipher.NONCE_BYTES + size + FieldCipher.TAG_BITS / 8)
                .hasSameSizeAs(benchmark.gcmSivSeal().ciphertext());
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {40})
    void theJdkYardstickBindsTheSameContext(int size) {
        FieldCipherJmh benchmark = setUp(size);
        FieldContext otherDocument = new FieldContext("acme", "oauth_credentials", "cred-2", "accessToken");

        assertThatThrownBy(() -> benchmark.jdkGcm.open(benchmark.sealedJdkGcm, otherDocument))
                .isInstanceOf(DecryptionFailedException.class);
    }

    private static FieldCipherJmh setUp(int size) {
        FieldCipherJmh benchmark = new FieldCipherJmh();
        benchmark.plaintextBytes = size;
        benchmark.setUp();
        return benchmark;
    }
}
