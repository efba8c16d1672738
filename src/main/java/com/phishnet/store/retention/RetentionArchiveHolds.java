package com.phishnet.store.retention;

import com.phishnet.store.backup.ArchiveHolds;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * A retention run needs its archive until it is DONE: the next run deletes from it what the run could not. Deleting
 * it before would leave those documents to be archived again by a later run.
 */
@Component
class RetentionArchiveHolds implements ArchiveHolds {

    private final RetentionRunRepository runs;

    RetentionArchiveHolds(RetentionRunRepository runs) {
        this.runs = runs;
    }

    @Override
    public Mono<String> heldBecause(String backupId) {
        return runs.unfinishedWithArchive(backupId)
                .map(run -> "retention run " + run.id() + " has not finished deleting what it archived (phase "
                        + run.phase() + "); the next run does");
    }
}
