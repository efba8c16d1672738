package com.phishnet.store.jobs;

/** Where a job is: still running, or finished one way or the other. */
public enum JobState {
    RUNNING, COMPLETED, FAILED;

    /** Whether the job has stopped for good: nothing about it changes any more. */
    public boolean isFinal() {
        return this != RUNNING;
    }
}
