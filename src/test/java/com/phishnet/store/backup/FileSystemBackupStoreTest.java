package com.phishnet.store.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import reactor.core.scheduler.Schedulers;

class FileSystemBackupStoreTest extends BackupStoreContract {

    FileSystemBackupStore store;

    @BeforeEach
    void aStore() {
        store = new FileSystemBackupStore(work.resolve("backups"), Schedulers.boundedElastic());
    }

    @Override
    BackupStore store() {
        return store;
    }

    @Override
    String expectedLocation(String name) {
        return work.resolve("backups").resolve(name + ".tar").toAbsolutePath().toUri().toString();
    }

    @Test
    void noPartialFileIsLeftBehind() throws IOException {
        store.put("b-9", staged(archive)).block(Duration.ofSeconds(10));
        try (var files = Files.list(work.resolve("backups"))) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactly("b-9.tar");
        }
    }
}
