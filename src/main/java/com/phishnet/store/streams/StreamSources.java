package com.phishnet.store.streams;

import com.phishnet.store.audit.AuditChange;
import com.phishnet.store.audit.AuditService;
import com.phishnet.store.jobs.JobRequests.JobView;
import com.phishnet.store.jobs.JobService;
import com.phishnet.store.scans.ScanChange;
import com.phishnet.store.scans.ScanService;
import com.phishnet.store.scans.ThreatChange;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * The features' change streams as the streams read them: each change rendered to its JSON once, with the view its
 * REST route answers (a scan as {@code GET /scans/{id}}, an audit entry as the audit list, a job as its status).
 */
@Component
class StreamSources {

    private final ScanService scans;
    private final AuditService audit;
    private final JobService jobs;
    private final JsonMapper json;

    StreamSources(ScanService scans, AuditService audit, JobService jobs, JsonMapper json) {
        this.scans = scans;
        this.audit = audit;
        this.jobs = jobs;
        this.json = json;
    }

    ChangeSource<ScanChange> scans() {
        return from -> scans.scanChanges(from)
                .map(change -> new Signal.Event<>(change.token(), change.committedAt(), change, render(change.scan())));
    }

    ChangeSource<ThreatChange> threats() {
        return from -> scans.threatChanges(from)
                .map(change -> new Signal.Event<>(change.token(), change.committedAt(), change, render(change.threat())));
    }

    ChangeSource<AuditChange> audit() {
        return from -> audit.changes(from)
                .map(change -> new Signal.Event<>(change.token(), change.committedAt(), change, render(change.entry())));
    }

    ChangeSource<JobView> jobs() {
        return from -> jobs.changes(from)
                .map(change -> new Signal.Event<>(change.token(), change.committedAt(), change.job(), render(change.job())));
    }

    /** A job's state as it is now, as the first event of its stream (it has no change token). */
    Signal.Event<JobView> current(JobView job) {
        return new Signal.Event<>(null, job.updatedAt(), job, render(job));
    }

    private String render(Object view) {
        return json.writeValueAsString(view);
    }
}
