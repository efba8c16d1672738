package com.phishnet.store.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Which oldest entries retention may remove: a prefix, before the cutoff, of no held user, never the head. */
class AuditPrefixTest {

    private static final Instant CUTOFF = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant OLD = CUTOFF.minusSeconds(86_400);

    @Test
    void removesTheExpiredPrefix() {
        List<AuditEntry> chain = List.of(entry(1, OLD), entry(2, OLD), entry(3, CUTOFF), entry(4, CUTOFF));

        assertThat(AuditPrefix.expiredThrough(0, chain, 4, CUTOFF, Set.of())).isEqualTo(2);
    }

    @Test
    void anEntryAtTheCutoffIsNotExpired() {
        assertThat(AuditPrefix.expiredThrough(0, List.of(entry(1, CUTOFF), entry(2, CUTOFF)), 2, CUTOFF, Set.of()))
                .isZero();
    }

    @Test
    void stopsAtTheFirstUnexpiredEntryEvenIfOlderOnesFollow() {
        // Two instances' clocks disagree: seq order, not time, decides what is a prefix.
        List<AuditEntry> chain = List.of(entry(1, OLD), entry(2, CUTOFF.plusSeconds(1)), entry(3, OLD), entry(4, OLD));

        assertThat(AuditPrefix.expiredThrough(0, chain, 4, CUTOFF, Set.of())).isEqualTo(1);
    }

    @Test
    void neverRemovesTheHead() {
        List<AuditEntry> chain = List.of(entry(1, OLD), entry(2, OLD), entry(3, OLD));

        assertThat(AuditPrefix.expiredThrough(0, chain, 3, CUTOFF, Set.of())).isEqualTo(2);
        assertThat(AuditPrefix.expiredThrough(0, List.of(entry(1, OLD)), 1, CUTOFF, Set.of())).isZero();
    }

    @Test
    void stopsBeforeTheFirstEntryNamingAHeldUserAsActorOrTarget() {
        List<AuditEntry> byActor = List.of(entry(1, OLD), entry(2, OLD, "held", "u-2"), entry(3, OLD), entry(4, OLD));
        List<AuditEntry> byTarget = List.of(entry(1, OLD), entry(2, OLD, "admin", "held"), entry(3, OLD), entry(4, OLD));

        assertThat(AuditPrefix.expiredThrough(0, byActor, 4, CUTOFF, Set.of("held"))).isEqualTo(1);
        assertThat(AuditPrefix.expiredThrough(0, byTarget, 4, CUTOFF, Set.of("held"))).isEqualTo(1);
    }

    @Test
    void entriesWithoutActorOrTargetNameNoHeldUser() {
        List<AuditEntry> chain = List.of(entry(1, OLD, null, null), entry(2, OLD));

        assertThat(AuditPrefix.expiredThrough(0, chain, 2, CUTOFF, Set.of("held"))).isEqualTo(1);
    }

    @Test
    void continuesFromTheCheckpoint() {
        List<AuditEntry> chain = List.of(entry(11, OLD), entry(12, OLD), entry(13, OLD));

        assertThat(AuditPrefix.expiredThrough(10, chain, 13, CUTOFF, Set.of())).isEqualTo(12);
    }

    @Test
    void removesNothingAcrossAGap() {
        assertThat(AuditPrefix.expiredThrough(10, List.of(entry(12, OLD), entry(13, OLD)), 13, CUTOFF, Set.of())).isZero();
        assertThat(AuditPrefix.expiredThrough(0, List.of(entry(1, OLD), entry(3, OLD), entry(4, OLD)), 4, CUTOFF,
                Set.of())).isEqualTo(1);
    }

    @Test
    void aBatchOfTheChainEndsWhereTheBatchEnds() {
        List<AuditEntry> batch = new ArrayList<>();
        for (long seq = 1; seq <= 100; seq++) {
            batch.add(entry(seq, OLD));
        }

        assertThat(AuditPrefix.expiredThrough(0, batch, 5_000, CUTOFF, Set.of())).isEqualTo(100);
    }

    @Test
    void anEmptyChainHasNothingToRemove() {
        assertThat(AuditPrefix.expiredThrough(0, List.of(), 0, CUTOFF, Set.of())).isZero();
    }

    private static AuditEntry entry(long seq, Instant at) {
        return entry(seq, at, "admin-1", "u-" + seq);
    }

    private static AuditEntry entry(long seq, Instant at, String actorId, String targetId) {
        return new AuditEntry("a" + seq, "acme", seq, "USER_CREATED", actorId, "users", targetId, AuditOutcome.SUCCESS,
                null, null, null, null, at, null, "h".repeat(64), 2, null, "d".repeat(64), null);
    }
}
