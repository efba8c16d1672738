package com.phishnet.store.backup;

/** A backup archive that cannot be read as written: cut short, altered, or not one of ours. The message says where. */
public class ArchiveCorruptException extends RuntimeException {

    public ArchiveCorruptException(String message) {
        super(message);
    }

    public ArchiveCorruptException(String message, Throwable cause) {
        super(message, cause);
    }
}
