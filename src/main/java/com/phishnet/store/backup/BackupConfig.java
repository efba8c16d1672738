package com.phishnet.store.backup;

import java.util.Base64;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** The backup feature's parts, as {@code phishnet.backup.*} configures them. */
@Configuration(proxyBeanMethods = false)
class BackupConfig {

    /** Compression, hashing, packing and file IO: bounded, so backups never take more than these threads. */
    @Bean(destroyMethod = "dispose")
    Scheduler backupScheduler(BackupProperties properties) {
        return Schedulers.newBoundedElastic(properties.compressionThreads(), 1_000, "backup");
    }

    /** The S3 store is closed with the context (its client and event loops); Spring infers close(). */
    @Bean
    BackupStore backupStore(BackupProperties properties, Scheduler backupScheduler) {
        checkEncryptionKey(properties.encryption());
        return switch (properties.store()) {
            case FILESYSTEM -> new FileSystemBackupStore(properties.directory(), backupScheduler);
            case S3 -> new S3BackupStore(properties.s3().settings(), backupScheduler);
        };
    }


    @Bean
    ArchiveVerifier archiveVerifier(JsonMapper json) {
        return new ArchiveVerifier(json);
    }


    /** A configured key that is not 32 bytes of base64 stops startup instead of failing the first backup. */
    static void checkEncryptionKey(BackupProperties.Encryption encryption) {
        if (!encryption.enabled()) {
            return;
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encryption.key().trim());
        }
        catch (IllegalArgumentException notBase64) {
            throw new IllegalStateException("phishnet.backup.encryption.key is not base64");
        }
        if (key.length != 32) {
            throw new IllegalStateException("phishnet.backup.encryption.key must be 32 bytes (AES-256), not " + key.length);
        }
        if (encryption.keyId() == null || !encryption.keyId().matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalStateException("phishnet.backup.encryption.key-id must be 1-64 letters, digits, '.', '_' or '-'");
        }
    }
}
