package com.phishnet.store.jobs;

/** What a job does. Each type is either service-wide or a tenant's; the type decides, never the caller. */
public enum JobType {
    KEY_ROTATION(JobScope.SERVICE);

    private final JobScope scope;

    JobType(JobScope scope) {
        this.scope = scope;
    }

    public JobScope scope() {
        return scope;
    }
}
