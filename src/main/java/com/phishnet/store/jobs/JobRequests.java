package com.phishnet.store.jobs;

import java.time.Instant;

/** Response shapes of job resources (a key rotation, for now). */
public final class JobRequests {

    private JobRequests() {
    }

    /** A job as its follower sees it: progress, outcome and where a rerun would resume. */
    public record JobView(String id, JobType type, JobScope scope, JobState state, String requestedBy,
            String requestedByTenant, String tenantId, Instant startedAt, Instant updatedAt, Instant completedAt,
            long processed, long changed, String cursor, String error) {

        public static JobView of(Job job) {
            return new JobView(job.id(), job.type(), job.scope(), job.state(), job.requestedBy(),
                    job.requestedByTenant(), job.tenantId(), job.startedAt(), job.updatedAt(), job.completedAt(),
                    job.processed(), job.changed(), job.cursor(), job.error());
        }
    }
}
