package com.phishnet.store.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;


/**
 * Which backups the retention settings no longer keep: a pure function of the backups, the time and the settings.
 * A backup is kept when any of these holds, and deleted otherwise:
 * <ul>
 * <li>it is still being made (RUNNING);</li>
 * <li>it is younger than {@code keepDays} (periods of 24 hours; one exactly that old is still kept);</li>
 * <li>it is one of the newest {@code keepLast} COMPLETED backups;</li>
 * <li>it is the newest COMPLETED backup whose archive verified, however old: when every newer one failed
 * verification, it is the last one known to restore.</li>
 * </ul>
 * So a FAILED backup goes once it is older than {@code keepDays}, and a COMPLETED one once it is also outside the
 * newest {@code keepLast}.
 */
public final class BackupRetention {

    /** What retention needs to know of one backup; {@code verified}: its last verification passed. */
    public record Candidate(String id, BackupState state, boolean verified, Instant requestedAt) {

        public Candidate {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(requestedAt, "requestedAt");
        }

        public static Candidate of(Backup backup) {
            return new Candidate(backup.id(), backup.state(), backup.verified(), backup.requestedAt());
        }

        boolean inProgress() {
            return state == BackupState.RUNNING;
        }

        boolean completed() {
            return state == BackupState.COMPLETED;
        }
    }

    /** Newest first; ties by id, so the same backups always give the same answer. */
    private static final Comparator<Candidate> NEWEST_FIRST = Comparator.comparing(Candidate::requestedAt)
            .thenComparing(Candidate::id).reversed();

    private BackupRetention() {
    }

    /** The ids of the backups to delete, oldest first. */
    public static List<String> toDelete(List<Candidate> backups, Instant now, BackupProperties.Retention retention) {
        List<Candidate> newestFirst = backups.stream().sorted(NEWEST_FIRST).toList();
        Set<String> kept = new HashSet<>();
        Instant keptByAgeFrom = now.minus(Duration.ofDays(retention.keepDays()));
        newestFirst.stream()
                .filter(backup -> backup.inProgress() || !backup.requestedAt().isBefore(keptByAgeFrom))
                .forEach(backup -> kept.add(backup.id()));
        newestFirst.stream()
                .filter(Candidate::completed)
                .limit(retention.keepLast())
                .forEach(backup -> kept.add(backup.id()));
        newestFirst.stream()
                .filter(backup -> backup.completed() && backup.verified())
                .findFirst()
                .ifPresent(backup -> kept.add(backup.id()));
        return backups.stream()
                .sorted(NEWEST_FIRST.reversed())
                .map(Candidate::id)
                .filter(id -> !kept.contains(id))
                .toList();
    }
}
