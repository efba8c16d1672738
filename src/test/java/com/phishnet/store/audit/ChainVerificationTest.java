package com.phishnet.store.audit;

import static com.phishnet.store.audit.StoredEdits.SALT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ChainVerificationTest {

    private final AuditEvent event = new AuditEvent("acme", AuditEventType.SCAN_INGESTED, "scanner", "scan_results",
            "s-1", AuditOutcome.SUCCESS, "203.0.113.9", "ua", "r", Map.of());
    private final AuditEntry first = AuditChain.next(null, event, Instant.parse("2026-11-23T10:00:00Z"), "a1", SALT);
    private final AuditEntry second = AuditChain.next(first, event, Instant.parse("2026-11-23T10:00:01Z"), "a2", SALT);
    private final Instant erasedAt = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void anIntactChainHasNoProblem() {
        assertThat(ChainVerification.problem(null, first)).isNull();
        assertThat(ChainVerification.problem(first, second)).isNull();
    }

    @Test
    void anEditedEntryIsFound() {
        AuditEntry edited = StoredEdits.edit(second, stored -> stored.put("actorId", "intruder"));

        assertThat(ChainVerification.problem(first, edited)).contains("altered");
    }

    @Test
    void aMissingEntryIsFound() {
        AuditEntry third = AuditChain.next(second, event, Instant.parse("2026-11-23T10:00:02Z"), "a3", SALT);

        assertThat(ChainVerification.problem(first, third)).contains("expected sequence 2");
    }

    @Test
    void aRelinkedEntryIsFound() {
        AuditEntry forged = AuditChain.next(null, event, Instant.parse("2026-11-23T10:00:01Z"), "a2", SALT);
        AuditEntry relinked = StoredEdits.edit(forged, stored -> stored.append("seq", 2L).append("prevHash", "0".repeat(64)));

        assertThat(ChainVerification.problem(first, relinked)).contains("prevHash");
    }

    @Test
    void anEditedIpOfAV2EntryIsFoundThroughItsDigest() {
        AuditEntry edited = StoredEdits.edit(second, stored -> stored.put("ip", "198.51.100.7"));

        assertThat(ChainVerification.problem(first, edited)).contains("personal digest");
    }

    @Test
    void anEditedUserAgentOfAV2EntryIsFoundThroughItsDigest() {
        AuditEntry edited = StoredEdits.edit(second, stored -> stored.remove("userAgent"));

        assertThat(ChainVerification.problem(first, edited)).contains("personal digest");
    }

    @Test
    void anErasedEntryStillVerifiesAndSoDoesTheNextOne() {
        AuditEntry erased = AuditChain.erased(first, erasedAt);

        assertThat(erased.ip()).isNull();
        assertThat(erased.salt()).isNull();
        assertThat(ChainVerification.problem(null, erased)).isNull();
        assertThat(ChainVerification.problem(erased, second)).isNull();
    }

    @Test
    void aMissingSaltWithoutErasureIsAProblem() {
        AuditEntry saltless = StoredEdits.edit(second, stored -> stored.remove("salt"));

        assertThat(ChainVerification.problem(first, saltless)).contains("salt is missing");
    }

    @Test
    void anErasedEntryThatStillHoldsAnIpIsAProblem() {
        // Otherwise marking an entry erased would let an edited ip pass unchecked.
        AuditEntry halfErased = StoredEdits.edit(AuditChain.erased(second, erasedAt),
                stored -> stored.put("ip", "198.51.100.7"));

        assertThat(ChainVerification.problem(first, halfErased)).contains("still holds personal fields");
    }

    @Test
    void aReplacedDigestIsFoundByTheEntryHash() {
        AuditEntry replaced = StoredEdits.edit(AuditChain.erased(second, erasedAt),
                stored -> stored.put("personalDigest", "f".repeat(64)));

        assertThat(ChainVerification.problem(first, replaced)).contains("altered");
    }

    @Test
    void anUnknownVersionIsAProblem() {
        AuditEntry future = StoredEdits.edit(second, stored -> stored.put("v", 3));

        assertThat(ChainVerification.problem(first, future)).contains("unknown chain version 3");
    }

    @Test
    void v1EntriesStillVerifyAndAV2EntryMayFollowOne() {
        AuditEntry v1First = StoredEdits.v1(null, event, Instant.parse("2026-11-23T10:00:00Z"), "a1");
        AuditEntry v1Second = StoredEdits.v1(v1First, event, Instant.parse("2026-11-23T10:00:01Z"), "a2");
        AuditEntry v2Third = AuditChain.next(v1Second, event, Instant.parse("2026-11-23T10:00:02Z"), "a3", SALT);

        assertThat(ChainVerification.problem(null, v1First)).isNull();
        assertThat(ChainVerification.problem(v1First, v1Second)).isNull();
        assertThat(ChainVerification.problem(v1Second, v2Third)).isNull();
        assertThat(ChainVerification.problem(v1First, StoredEdits.edit(v1Second, stored -> stored.put("ip", "10.9.9.9"))))
                .contains("altered");
    }

    @Test
    void withoutACheckpointTheChainStartsAtOne() {
        assertThat(ChainVerification.firstProblem(null, first)).isNull();
        assertThat(ChainVerification.firstProblem(null, second)).contains("expected sequence 1");
    }

    @Test
    void afterACheckpointTheFirstEntryFollowsIt() {
        AuditCheckpoint checkpoint = new AuditCheckpoint("acme", 1, first.hash(), erasedAt, "archive-1");

        assertThat(ChainVerification.firstProblem(checkpoint, second)).isNull();
    }

    @Test
    void anEntryMissingAfterTheCheckpointIsFound() {
        AuditEntry third = AuditChain.next(second, event, Instant.parse("2026-11-23T10:00:02Z"), "a3", SALT);
        AuditCheckpoint checkpoint = new AuditCheckpoint("acme", 1, first.hash(), erasedAt, "archive-1");

        assertThat(ChainVerification.firstProblem(checkpoint, third)).contains("expected sequence 2");
    }

    @Test
    void aCheckpointWithAnotherHashThanTheRemovedEntryIsFound() {
        AuditCheckpoint checkpoint = new AuditCheckpoint("acme", 1, "e".repeat(64), erasedAt, "archive-1");

        assertThat(ChainVerification.firstProblem(checkpoint, second)).contains("prevHash").contains("checkpoint at 1");
    }

    @Test
    void theResultNamesTheCheckpointItStartedFrom() {
        AuditCheckpoint checkpoint = new AuditCheckpoint("acme", 41, first.hash(), erasedAt, "archive-1");

        assertThat(ChainVerification.intact("acme", 3, checkpoint).checkpointSeq()).isEqualTo(41L);
        assertThat(ChainVerification.intact("acme", 3, null).checkpointSeq()).isNull();
        assertThat(ChainVerification.headMissing("acme", checkpoint))
                .extracting(ChainVerification::valid, ChainVerification::firstBrokenSeq).containsExactly(false, 42L);
    }
}
