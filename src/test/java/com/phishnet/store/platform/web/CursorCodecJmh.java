package com.phishnet.store.platform.web;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.phishnet.store.platform.crypto.BlindIndex;
import com.phishnet.store.platform.crypto.KeyRing;
import com.phishnet.store.platform.web.CursorCodec.Position;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A keyset cursor of the scan list ({@link CursorCodec}): {@link #encode} signs the position of a page's last scan
 * (every full page answered), {@link #decode} checks the signature and filters of the cursor a client sends back
 * (every next-page request). Run by {@code JmhBenchmark} ({@code ./mvnw -B -Pjmh test}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CursorCodecJmh {

    static final String SCOPE = "scans";
    /** What ScanFilter.fingerprint() gives for "MALICIOUS scans of one sender since December 1st". */
    static final String FILTERS = "v=MALICIOUS;min=null;max=null;s=eve@evil.example;u=null;f=1796083200000;t=null";
    static final Position POSITION = new Position(Instant.parse("2026-12-01T09:00:05.123Z"), "01JEXAMPLESCAN0000000042");

    CursorCodec codec;
    String cursor;

    @Setup
    public void setUp() {
        codec = new CursorCodec(new BlindIndex(new KeyRing(Map.of("k", filled(1)), "k", filled(2))));
        cursor = codec.encode(SCOPE, POSITION, FILTERS);
    }

    @Benchmark
    public String encode() {
        return codec.encode(SCOPE, POSITION, FILTERS);
    }

    @Benchmark
    public Position decode() {
        return codec.decode(SCOPE, cursor, FILTERS);
    }

    private static byte[] filled(int value) {
        byte[] key = new byte[KeyRing.KEY_BYTES];
        Arrays.fill(key, (byte) value);
        return key;
    }
}
