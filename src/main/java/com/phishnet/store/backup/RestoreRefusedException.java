package com.phishnet.store.backup;

import java.util.List;

/**
 * A restore refused before it wrote anything, with every reason found (the target database's name, that it is the
 * service's own or already holds collections, keys the service lacks, a manifest format it does not read).
 */
public class RestoreRefusedException extends RuntimeException {

    private final List<String> conflicts;

    public RestoreRefusedException(List<String> conflicts) {
        super("Restore refused: " + String.join("; ", conflicts));
        this.conflicts = List.copyOf(conflicts);
    }

    public List<String> conflicts() {
        return conflicts;
    }
}
