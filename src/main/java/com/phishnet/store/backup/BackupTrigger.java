package com.phishnet.store.backup;

/** Who started a backup: an operator's request or the daily schedule. Stored by name. */
public enum BackupTrigger {
    MANUAL, SCHEDULED
}
