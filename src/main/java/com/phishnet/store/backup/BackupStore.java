package com.phishnet.store.backup;

import java.nio.file.Path;

import org.springframework.core.io.buffer.DataBuffer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where finished archives are kept: a directory of this instance, or an S3-compatible bucket for copies off site.
 * Archives are whole objects, written once and never changed; a name is a backup id.
 */
public interface BackupStore {

    /** Where an archive was stored, as the backup record shows it, and its size. */
    record Stored(String location, long bytes) {
    }

    /** Takes a finished archive file (which it may move) and keeps it under {@code name}. */
    Mono<Stored> put(String name, Path archive);

    /** The archive's size; empty when there is none. */
    Mono<Long> size(String name);

    /**
     * {@code length} bytes of the archive from {@code offset} (a download's {@code Range}), as a stream that never
     * holds the archive in memory; an error when there is none.
     */
    Flux<DataBuffer> read(String name, long offset, long length);

    /** Removes the archive; completes whether or not there was one. */
    Mono<Void> delete(String name);

    /** A name is a backup id: letters, digits, '-' and '_' only, so it can never point outside the store. */
    static String checked(String name) {
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("Not a backup archive name: " + name);
        }
        return name;
    }
}
