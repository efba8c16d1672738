package com.phishnet.store.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** AuditChainJmh measures the path of a sound chain, not an early exit on a broken link. */
class AuditChainJmhTest {

    private final AuditChainJmh benchmark = setUp();

    @Test
    void theVerifiedEntryHoldsSoTheWholeCheckRuns() {
        assertThat(benchmark.verify()).isNull();
    }

    @Test
    void theAppendedEntryIsAV2LinkThatVerifies() {
        AuditEntry appended = benchmark.append();

        assertThat(appended.v()).isEqualTo(AuditChain.VERSION);
        assertThat(appended.prevHash()).isEqualTo(benchmark.previous.hash());
        assertThat(ChainVerification.problem(benchmark.previous, appended)).isNull();
    }

    private static AuditChainJmh setUp() {
        AuditChainJmh benchmark = new AuditChainJmh();
        benchmark.setUp();
        return benchmark;
    }
}
