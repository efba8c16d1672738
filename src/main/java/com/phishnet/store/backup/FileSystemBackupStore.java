package com.phishnet.store.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Archives as files {@code <root>/<name>.tar}. A file appears whole or not at all (moved into place), and is read
 * with an asynchronous channel in buffers, so a download of any size needs no more memory than one buffer.
 */
public final class FileSystemBackupStore implements BackupStore {

    private static final int BUFFER = 64 * 1024;

    private final Path root;
    private final Scheduler io;
    private final DataBufferFactory buffers = DefaultDataBufferFactory.sharedInstance;

    /**
     * @param io where the blocking file operations (move, size, delete) run
     */
    public FileSystemBackupStore(Path root, Scheduler io) {
        this.root = root.toAbsolutePath().normalize();
        this.io = io;
    }

    @Override
    public Mono<Stored> put(String name, Path archive) {
        return Mono.fromCallable(() -> {
            Path target = file(name);
            Files.createDirectories(root);
            Path partial = root.resolve(BackupStore.checked(name) + ".tar.partial");
            // Same file system as the target, so the last step is an atomic rename.
            Files.move(archive, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new Stored(target.toUri().toString(), Files.size(target));
        }).subscribeOn(io);
    }

    @Override
    public Mono<Long> size(String name) {
        return Mono.fromCallable(() -> {
            Path file = file(name);
            return Files.isRegularFile(file) ? Files.size(file) : null;
        }).subscribeOn(io);
    }

    @Override
    public Flux<DataBuffer> read(String name, long offset, long length) {
        if (offset < 0 || length < 0) {
            return Flux.error(new IllegalArgumentException("A range starts and ends inside the archive"));
        }
        Path file = file(name);
        Flux<DataBuffer> from = DataBufferUtils.readAsynchronousFileChannel(
                () -> AsynchronousFileChannel.open(file, StandardOpenOption.READ), offset, buffers, BUFFER);
        return DataBufferUtils.takeUntilByteCount(from, length)
                .onErrorMap(NoSuchFileException.class, missing -> new IllegalStateException(
                        "The archive of backup " + name + " is not in the store", missing));
    }

    @Override
    public Mono<Void> delete(String name) {
        return Mono.<Void>fromRunnable(() -> {
            try {
                Files.deleteIfExists(file(name));
            }
            catch (IOException failure) {
                throw new UncheckedIOException("Cannot delete the archive of backup " + name, failure);
            }
        }).subscribeOn(io);
    }

    private Path file(String name) {
        return root.resolve(BackupStore.checked(name) + ".tar");
    }
}
