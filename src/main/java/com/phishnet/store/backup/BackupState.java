package com.phishnet.store.backup;

/** Where a backup stands: RUNNING until its archive is stored (COMPLETED) or it stops (FAILED). Stored by name. */
public enum BackupState {
    RUNNING, COMPLETED, FAILED
}
