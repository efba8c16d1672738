package com.phishnet.store.backup;

import java.time.Instant;
import java.util.List;

import com.phishnet.store.backup.Backup.ClusterTime;
import com.phishnet.store.backup.Backup.Content;
import com.phishnet.store.backup.Backup.Verification;
import com.phishnet.store.platform.web.InputBounds;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request and response shapes of the backups API. */
public final class BackupRequests {

    /** A database name a restore may create: MongoDB allows more, but these survive every shell and URI. */
    public static final String DATABASE_PATTERN = "[A-Za-z0-9_-]{1,63}";

    private BackupRequests() {
    }

    /**
     * @param collections only these data collections (default: all of them)
     * @param tenantId    only this tenant's documents: a tenant export
     * @param note        why it was made, shown in the list
     */
    public record CreateBackup(
            @Size(min = 1, max = BackupFields.MAX_COLLECTIONS) List<@NotNull @Pattern(regexp = "[A-Za-z0-9_.-]{1,64}") String> collections,
            @Pattern(regexp = InputBounds.TENANT_ID_PATTERN) String tenantId,
            @Size(max = BackupFields.MAX_NOTE) String note) {

        public static CreateBackup everything() {
            return new CreateBackup(null, null, null);
        }
    }

    /**
     * @param targetDatabase a new or empty database on the same server
     * @param dryRun         report what would be written and any conflict, write nothing
     */
    public record RestoreRequest(
            @NotNull @Pattern(regexp = DATABASE_PATTERN) String targetDatabase,
            Boolean dryRun) {

        boolean isDryRun() {
            return Boolean.TRUE.equals(dryRun);
        }
    }

    /** A backup as the API shows it; {@code sha256} is of the archive exactly as a download returns it. */
    public record BackupView(String id, BackupState state, BackupTrigger trigger, String requestedBy, Instant requestedAt,
            Instant completedAt, String note, String tenantId, List<String> requestedCollections, String database,
            ClusterTime clusterTime, List<Content> contents, List<String> keyIds, Long documents, Long sizeBytes,
            String sha256, String location, boolean encrypted, String encryptionKeyId, Verification verification,
            String error) {

        static BackupView of(Backup backup) {
            return new BackupView(backup.id(), backup.state(), backup.trigger(), backup.requestedBy(),
                    backup.requestedAt(), backup.completedAt(), backup.note(), backup.tenantId(),
                    backup.requestedCollections(), backup.database(), backup.clusterTime(), backup.contents(),
                    backup.keyIds(), backup.documents(), backup.sizeBytes(), backup.checksum(), backup.location(),
                    backup.encryptionKeyId() != null, backup.encryptionKeyId(), backup.verification(), backup.error());
        }
    }

    /** The answer to a start: the backup's id, which is also its job's, to follow on the job stream. */
    public record Started(String id, String jobId, BackupState state) {
    }
}
