package com.phishnet.store.audit;

import java.security.SecureRandom;
import java.time.Instant;
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
 * One step of a tenant's audit chain (format v2), through the production code: {@link #append} is what
 * {@code AuditService.record} computes for every audited action once it has the previous entry — a fresh 32-byte
 * salt from the SecureRandom, the personal digest (HMAC-SHA-256 over ip and userAgent) and the SHA-256 entry hash
 * ({@link AuditChain#next}); {@link #verify} is what chain verification does per stored entry
 * ({@link ChainVerification#problem}: the link, the recomputed personal digest and the recomputed hash). Run by
 * {@code JmhBenchmark} ({@code ./mvnw -B -Pjmh test}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AuditChainJmh {

    static final AuditEvent EVENT = new AuditEvent("acme", AuditEventType.CREDENTIAL_STORED, "analyst-7f3c2a",
            "oauth_credentials", "cred-01JEXAMPLE8Q4M2N7K", AuditOutcome.SUCCESS, "203.0.113.42",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
            "req-5b1f0c8e9d2a", Map.of("provider", "GOOGLE"));
    static final Instant NOW = Instant.parse("2026-12-01T09:00:05.123456Z");

    SecureRandom random;
    AuditEntry previous;
    AuditEntry entry;

    @Setup
    public void setUp() {
        random = new SecureRandom();
        previous = AuditChain.next(null, EVENT, NOW.minusSeconds(1), "audit-1", salt());
        entry = AuditChain.next(previous, EVENT, NOW, "audit-2", salt());
    }

    @Benchmark
    public AuditEntry append() {
        return AuditChain.next(previous, EVENT, NOW, "audit-2", salt());
    }

    @Benchmark
    public String verify() {
        return ChainVerification.problem(previous, entry);
    }

    /** As AuditService draws it: {@link AuditChain#SALT_BYTES} fresh random bytes per entry. */
    private byte[] salt() {
        byte[] salt = new byte[AuditChain.SALT_BYTES];
        random.nextBytes(salt);
        return salt;
    }
}
