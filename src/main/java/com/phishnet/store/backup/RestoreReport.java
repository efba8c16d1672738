package com.phishnet.store.backup;

import java.util.List;

/**
 * What a restore wrote, or for a dry run what it would write and what stands in its way.
 *
 * @param conflicts         why the restore may not run; always empty after a real run (which refuses instead)
 * @param documentsWritten  documents inserted; 0 for a dry run
 */
public record RestoreReport(String targetDatabase, boolean dryRun, List<CollectionReport> collections,
        List<String> conflicts, long documentsWritten) {

    public RestoreReport {
        collections = List.copyOf(collections);
        conflicts = List.copyOf(conflicts);
    }

    /**
     * One collection of the archive.
     *
     * @param documents its documents: as written, or for a dry run as the manifest counts them
     * @param indexes   the names of its indexes, {@code _id_} included
     * @param validator whether it is created with the validator it was dumped with
     */
    public record CollectionReport(String name, long documents, List<String> indexes, boolean validator) {

        public CollectionReport {
            indexes = List.copyOf(indexes);
        }
    }
}
