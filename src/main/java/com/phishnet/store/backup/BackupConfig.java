package com.phishnet.store.backup;


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


    /** A configured key that is not 32 bytes of base64, or a bad key id, stops startup instead of failing a backup. */
    static void checkEncryptionKey(BackupProperties.Encryption encryption) {
        encryption.keys();
    }
}
