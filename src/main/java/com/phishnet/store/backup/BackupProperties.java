package com.phishnet.store.backup;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where backups go, how they are made and how long they are kept ({@code phishnet.backup.*}, see docs/backups.md).
 *
 * @param store            {@code filesystem} (the default) or {@code s3}
 * @param directory        the filesystem store's directory
 * @param staging          where an archive is assembled (and an encrypted or remote one is unpacked for verify and
 *                         restore) before it is stored; on the same file system as {@code directory}, so storing
 *                         it is a rename
 * @param s3               the S3-compatible store, when {@code store} is {@code s3}
 * @param encryption       optional encryption at rest of the whole archive
 * @param batchSize        documents asked of the server per cursor batch
 * @param compressionThreads threads compressing and hashing archives (each backup uses one at a time)
 * @param snapshotWindow   the server's {@code minSnapshotHistoryWindowInSeconds}: how long a backup may read at its
 *                         cluster time; named in the error when a backup runs out of it
 * @param retention        which backups are kept
 * @param schedule         the optional daily backup
 */
@Validated
@ConfigurationProperties("phishnet.backup")
public record BackupProperties(
        @NotNull @DefaultValue("filesystem") StoreKind store,
        @NotNull @DefaultValue(".data/backups") Path directory,
        @NotNull @DefaultValue(".data/backup-staging") Path staging,
        @Valid @NotNull @DefaultValue S3 s3,
        @Valid @NotNull @DefaultValue Encryption encryption,
        @Min(1) @Max(100_000) @DefaultValue("1000") int batchSize,
        @Min(1) @Max(64) @DefaultValue("2") int compressionThreads,
        @NotNull @DefaultValue("300s") Duration snapshotWindow,
        @Valid @NotNull @DefaultValue Retention retention,
        @Valid @NotNull @DefaultValue Schedule schedule) {

    public enum StoreKind {
        FILESYSTEM, S3
    }

    /** See {@link S3BackupStore.Settings}; credentials from the environment, never from this file. */
    public record S3(URI endpoint, @DefaultValue("us-east-1") String region, String bucket,
            @DefaultValue("phishnet-backups/") String prefix, String accessKey, String secretKey,
            @DefaultValue("false") boolean pathStyle) {

        public S3BackupStore.Settings settings() {
            return new S3BackupStore.Settings(endpoint, region, bucket, prefix, accessKey, secretKey, pathStyle);
        }

        @Override
        public String toString() {
            return "S3[endpoint=" + endpoint + ", bucket=" + bucket + ", prefix=" + prefix + "]";
        }
    }

    /**
     * @param keyId        an identifier of the key, written into each archive's header so a restore finds it
     * @param key          base64 of 32 bytes (AES-256); unset = archives are stored unencrypted
     * @param previousKeys retired keys, {@code id:base64,id:base64}: never seal, still open older archives
     */
    public record Encryption(@DefaultValue("backup-1") String keyId, String key, String previousKeys) {

        public boolean enabled() {
            return key != null && !key.isBlank();
        }

        /** Every key by id, current first; refuses a malformed one (checked at startup). */
        public java.util.Map<String, byte[]> keys() {
            return BackupKeys.parse(keyId, key, previousKeys);
        }

        @Override
        public String toString() {
            return "Encryption[keyId=" + keyId + ", key=" + (enabled() ? "***" : null) + ", previousKeys="
                    + (previousKeys == null || previousKeys.isBlank() ? null : "***") + "]";
        }
    }

    /**
     * @param keepLast  the newest this many completed backups are kept
     * @param keepDays  every backup younger than this is kept
     */
    public record Retention(@Min(1) @DefaultValue("7") int keepLast, @Min(0) @DefaultValue("30") int keepDays) {
    }

    /**
     * @param cron  a Spring cron expression in UTC (six fields, seconds first), e.g. {@code 0 30 1 * * *}; unset = no
     *              scheduled backups
     * @param lease how long one instance holds the schedule's lease in MongoDB per run: longer than any backup
     *              takes, so a second instance firing at the same minute finds it held
     */
    public record Schedule(String cron, @NotNull @DefaultValue("2h") Duration lease) {

        public boolean enabled() {
            return cron != null && !cron.isBlank();
        }
    }
}
