package com.phishnet.store.backup;

import reactor.core.publisher.Mono;

/** What the daily schedule asks of the backup service: one backup made and verified, then old ones pruned. */
public interface ScheduledBackups {

    /** The outcome of a scheduled backup: its id, and whether it completed and its archive verified. */
    record Outcome(String backupId, boolean completed, boolean verified, String error) {
    }

    /** Makes a backup as the service itself, waits until it is stored and verified; never errors, reports instead. */
    Mono<Outcome> backupAndVerify();

    /** Deletes what the retention settings no longer keep; the number of backups deleted. */
    Mono<Integer> applyRetention();
}
