package com.phishnet.store.backup;

/** Who started a backup: an operator's request or the daily schedule. Stored by name. */
public enum BackupTrigger {
    MANUAL, SCHEDULED,
    /** A retention run's archive of what it is about to delete; kept until an operator deletes it. */
    RETENTION
}
