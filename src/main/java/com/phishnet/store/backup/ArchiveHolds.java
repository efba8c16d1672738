package com.phishnet.store.backup;

import reactor.core.publisher.Mono;

/**
 * Another feature's claim on a stored archive: while one answers, the backup cannot be deleted (409 with the reason).
 * Retention claims the archive of a run that has not finished deleting what it archived.
 */
public interface ArchiveHolds {

    /** Why the backup's archive is still needed; empty when this feature does not need it. */
    Mono<String> heldBecause(String backupId);
}
