package com.phishnet.store.backup;

import static com.phishnet.store.backup.BackupState.COMPLETED;
import static com.phishnet.store.backup.BackupState.FAILED;
import static com.phishnet.store.backup.BackupState.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.phishnet.store.backup.BackupRetention.Candidate;
import org.junit.jupiter.api.Test;

class BackupRetentionTest {

    private static final Instant NOW = Instant.parse("2026-03-31T02:00:00Z");

    @Test
    void theNewestKeepLastCompletedBackupsAreKeptHoweverOld() {
        List<Candidate> backups = List.of(verified("d10", 10), verified("d11", 11), verified("d12", 12),
                verified("d13", 13), verified("d14", 14));

        assertThat(toDelete(backups, 3, 7)).containsExactly("d14", "d13");
    }

    @Test
    void everythingYoungerThanKeepDaysIsKept() {
        List<Candidate> backups = List.of(verified("d1", 1), verified("d2", 2), verified("d3", 3),
                backup("f4", FAILED, false, Duration.ofDays(4)), verified("d6", 6));

        assertThat(toDelete(backups, 1, 7)).isEmpty();
    }

    @Test
    void aBackupExactlyKeepDaysOldIsStillKept() {
        List<Candidate> backups = List.of(verified("d1", 1), backup("f7", FAILED, false, Duration.ofDays(7)),
                backup("f7+1s", FAILED, false, Duration.ofDays(7).plusSeconds(1)));

        assertThat(toDelete(backups, 1, 7)).containsExactly("f7+1s");
    }

    @Test
    void failedBackupsOlderThanKeepDaysAreDeletedAndDoNotCountTowardsKeepLast() {
        List<Candidate> backups = List.of(backup("f9", FAILED, false, Duration.ofDays(9)), verified("d10", 10),
                verified("d11", 11), verified("d12", 12));

        assertThat(toDelete(backups, 2, 7)).containsExactly("d12", "f9");
    }

    @Test
    void aBackupStillBeingMadeIsNeverDeleted() {
        List<Candidate> backups = List.of(verified("d1", 1), backup("r100", RUNNING, false, Duration.ofDays(100)));

        assertThat(toDelete(backups, 1, 0)).isEmpty();
    }

    @Test
    void theNewestVerifiedBackupIsKeptWhenEveryNewerOneFailedVerification() {
        List<Candidate> backups = List.of(unverified("u10", 10), unverified("u11", 11), verified("v20", 20),
                verified("v30", 30));

        assertThat(toDelete(backups, 2, 7)).containsExactly("v30");
    }

    @Test
    void withoutAnyVerifiedBackupOnlyTheRulesOfCountAndAgeKeep() {
        List<Candidate> backups = List.of(unverified("u10", 10), unverified("u11", 11));

        assertThat(toDelete(backups, 1, 7)).containsExactly("u11");
    }

    @Test
    void aStoredBackupCountsAsVerifiedWhenItsLastVerificationPassed() {
        Backup.Verification passed = new Backup.Verification(true, NOW, 42, List.of());
        Backup stored = new Backup("b-1", COMPLETED, BackupTrigger.SCHEDULED, "svc", "phishnet-service", NOW, NOW,
                null, null, List.of(), null, null, null, null, null, null, null, null, null, passed, null);

        assertThat(Candidate.of(stored)).isEqualTo(new Candidate("b-1", COMPLETED, true, NOW));
    }

    private static List<String> toDelete(List<Candidate> backups, int keepLast, int keepDays) {
        return BackupRetention.toDelete(backups, NOW, new BackupProperties.Retention(keepLast, keepDays));
    }

    private static Candidate verified(String id, int daysAgo) {
        return backup(id, COMPLETED, true, Duration.ofDays(daysAgo));
    }

    private static Candidate unverified(String id, int daysAgo) {
        return backup(id, COMPLETED, false, Duration.ofDays(daysAgo));
    }

    private static Candidate backup(String id, BackupState state, boolean verified, Duration age) {
        return new Candidate(id, state, verified, NOW.minus(age));
    }
}
