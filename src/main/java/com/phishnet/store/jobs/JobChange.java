package com.phishnet.store.jobs;

import java.time.Instant;

import com.phishnet.store.jobs.JobRequests.JobView;
import com.phishnet.store.platform.mongo.ResumeToken;

/** A committed change of a job, as its progress stream sends it: resume token, commit time and the job as it stands. */
public record JobChange(ResumeToken token, Instant committedAt, JobView job) {
}
