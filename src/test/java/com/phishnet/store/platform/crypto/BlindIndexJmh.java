package com.phishnet.store.platform.crypto;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One blind index ({@link BlindIndex}, HMAC-SHA-256 keyed with the blind-index key, base64url): what storing or
 * looking up a credential by its account address costs before the query is sent. Also the signature of every keyset
 * cursor. Run by {@code JmhBenchmark} ({@code ./mvnw -B -Pjmh test}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BlindIndexJmh {

    /** The domain CredentialService indexes account addresses under: "credential-account:" + tenant. */
    static final String DOMAIN = "credential-account:acme";
    static final String ACCOUNT = "ann.example-analyst@example.com";

    BlindIndex index;

    @Setup
    public void setUp() {
        index = new BlindIndex(new KeyRing(Map.of("k1", key(1)), "k1", key(3)));
    }

    @Benchmark
    public String accountIndex() {
        return index.of(DOMAIN, ACCOUNT);
    }

    private static byte[] key(int fill) {
        byte[] key = new byte[KeyRing.KEY_BYTES];
        Arrays.fill(key, (byte) fill);
        return key;
    }
}
