package com.phishnet.store.jobs;

/** What a job does. Each type is either service-wide or a tenant's; the type decides, never the caller. */
public enum JobType {
    KEY_ROTATION(JobScope.SERVICE),
    /** A backup of the service database (or of one tenant's documents), a restore is its own job. */
    BACKUP(JobScope.SERVICE),
    RESTORE(JobScope.SERVICE),
    /** A retention run: archive what the policies expire, then delete it. */
    RETENTION(JobScope.SERVICE);

    private final JobScope scope;

    JobType(JobScope scope) {
        this.scope = scope;
    }

    public JobScope scope() {
        return scope;
    }
}
