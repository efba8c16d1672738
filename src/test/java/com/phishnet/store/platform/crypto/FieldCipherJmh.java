package com.phishnet.store.platform.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Sealing and opening one secret field: the service's AES-256-GCM-SIV ({@link FieldCipher}, BouncyCastle) next to
 * the JDK's AES-256-GCM doing the same job in the same stored form ({@link JdkAesGcm}), on a 40-byte value (an OAuth
 * token) and a 2 KB one. What nonce-misuse resistance costs per stored or read secret. Seal includes drawing the
 * nonce from the same {@link SecureRandom} for both. Run by {@code JmhBenchmark} ({@code ./mvnw -B -Pjmh test}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FieldCipherJmh {

    private static final char[] TOKEN_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();

    /** UTF-8 bytes of the plaintext: a 40-byte access token, or a 2 KB value. */
    @Param({"40", "2048"})
    public int plaintextBytes;

    FieldContext context;
    String plaintext;
    FieldCipher gcmSiv;
    JdkAesGcm jdkGcm;
    Sealed sealedGcmSiv;
    Sealed sealedJdkGcm;

    @Setup
    public void setUp() {
        KeyRing ring = new KeyRing(Map.of("k1", key(1)), "k1", key(3));
        SecureRandom random = new SecureRandom();
        context = new FieldContext("acme", "oauth_credentials", "cred-1", "accessToken");
        plaintext = tokenOf(plaintextBytes);
        gcmSiv = new FieldCipher(ring, random);
        jdkGcm = new JdkAesGcm(ring, random);
        sealedGcmSiv = gcmSiv.seal(plaintext, context);
        sealedJdkGcm = jdkGcm.seal(plaintext, context);
    }

    @Benchmark
    public Sealed gcmSivSeal() {
        return gcmSiv.seal(plaintext, context);
    }

    @Benchmark
    public String gcmSivOpen() {
        return gcmSiv.open(sealedGcmSiv, context);
    }

    @Benchmark
    public Sealed jdkGcmSeal() {
        return jdkGcm.seal(plaintext, context);
    }

    @Benchmark
    public String jdkGcmOpen() {
        return jdkGcm.open(sealedJdkGcm, context);
    }

    /** A token-like ASCII value (base64url characters), the same for every run. */
    static String tokenOf(int length) {
        Random seeded = new Random(length);
        char[] token = new char[length];
        for (int i = 0; i < length; i++) {
            token[i] = TOKEN_ALPHABET[seeded.nextInt(TOKEN_ALPHABET.length)];
        }
        return new String(token);
    }

    private static byte[] key(int fill) {
        byte[] key = new byte[KeyRing.KEY_BYTES];
        Arrays.fill(key, (byte) fill);
        return key;
    }
}
