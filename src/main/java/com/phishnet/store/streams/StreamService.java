package com.phishnet.store.streams;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.phishnet.store.audit.AuditChange;
import com.phishnet.store.audit.AuditEventType;
import com.phishnet.store.jobs.JobRequests.JobView;
import com.phishnet.store.jobs.JobService;
import com.phishnet.store.platform.mongo.ChangeFeed;
import com.phishnet.store.platform.mongo.ResumeToken;
import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.scans.ScanChange;
import com.phishnet.store.scans.ThreatChange;
import com.phishnet.store.scans.Verdict;
import org.bson.BsonTimestamp;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The four streams of the service. Each is read from MongoDB by one shared change-stream cursor per instance and
 * scoped per subscriber in memory: always the caller's tenant (from its token), a USER's own scans only, and the
 * filters the caller asked for.
 */
@Service
public class StreamService {

    /** What {@code /streams/scans} lets through besides the caller's scope; null means any. */
    public record ScanFilter(Verdict verdict, Double minScore, String userId) {
    }

    private final StreamSources sources;
    private final JobService jobService;
    private final Subscriptions subscriptions;
    private final SharedStream<ScanChange> scans;
    private final SharedStream<ThreatChange> threats;
    private final SharedStream<AuditChange> audit;
    private final SharedStream<JobView> jobs;

    @Autowired
    public StreamService(StreamSources sources, ChangeFeed changes, JobService jobService, StreamProperties properties,
            StreamLimits limits, StreamMetrics metrics, JsonMapper json, Clock clock) {
        this(sources, changes, jobService, properties, limits, metrics, json, clock, Schedulers.parallel(), Schedulers.parallel());
    }

    StreamService(StreamSources sources, ChangeFeed changes, JobService jobService, StreamProperties properties,
            StreamLimits limits, StreamMetrics metrics, JsonMapper json, Clock clock, Scheduler timer, Scheduler delivery) {
        this.sources = sources;
        this.jobService = jobService;
        this.subscriptions = new Subscriptions(properties, limits, metrics, json, clock, timer);
        // Asked of the server each time a cursor starts, never at construction.
        Mono<BsonTimestamp> startTime = Mono.defer(changes::afterLastMajorityCommit);
        this.scans = new SharedStream<>(StreamKind.SCANS, sources.scans(), startTime, properties, metrics, clock, timer, delivery);
        this.threats = new SharedStream<>(StreamKind.THREATS, sources.threats(), startTime, properties, metrics, clock, timer, delivery);
        this.audit = new SharedStream<>(StreamKind.AUDIT, sources.audit(), startTime, properties, metrics, clock, timer, delivery);
        this.jobs = new SharedStream<>(StreamKind.JOBS, sources.jobs(), startTime, properties, metrics, clock, timer, delivery);
    }

    public Flux<ServerSentEvent<String>> scans(Caller caller, ScanFilter filter, ResumeToken after, Instant expiresAt) {
        // As GET /scans: a USER's userId filter is its own id, whatever it asked for.
        String userId = Rule.ANALYST_OR_ADMIN.admits(caller) ? filter.userId() : caller.subject();
        Predicate<ScanChange> visible = change -> mayRead(caller, change.tenantId(), change.userId())
                && (filter.verdict() == null || filter.verdict() == change.verdict())
                && (filter.minScore() == null || change.score() >= filter.minScore())
                && (userId == null || userId.equals(change.userId()));
        return subscriptions.follow(StreamKind.SCANS, scans, sources.scans(), caller, visible, after, expiresAt,
                "/api/v1/scans");
    }

    public Flux<ServerSentEvent<String>> threats(Caller caller, ResumeToken after, Instant expiresAt) {
        Predicate<ThreatChange> visible = change -> mayRead(caller, change.tenantId(), change.userId());
        return subscriptions.follow(StreamKind.THREATS, threats, sources.threats(), caller, visible, after, expiresAt,
                "/api/v1/scans");
    }

    public Flux<ServerSentEvent<String>> audit(Caller caller, AuditEventType eventType, ResumeToken after,
            Instant expiresAt) {
        Predicate<AuditChange> visible = change -> caller.tenantId().equals(change.tenantId())
                && (eventType == null || eventType.name().equals(change.eventType()));
        return subscriptions.follow(StreamKind.AUDIT, audit, sources.audit(), caller, visible, after, expiresAt,
                "/api/v1/admin/audit");
    }

    /** The job's state now, then each change of it until it is COMPLETED or FAILED; 404 for a job the caller may not see. */
    public Flux<ServerSentEvent<String>> job(Caller caller, String id, Instant expiresAt) {
        return subscriptions.followOne(StreamKind.JOBS, jobs, caller, job -> job.id().equals(id),
                jobService.follow(caller, id).map(sources::current)
                        .switchIfEmpty(Mono.error(() -> new ApiException.NotFound("No job " + id + "."))),
                job -> job.state().isFinal(), expiresAt);
    }

    /** Each shared cursor by stream, for health. */
    Map<StreamKind, SharedStream<?>> sharedStreams() {
        Map<StreamKind, SharedStream<?>> all = new EnumMap<>(StreamKind.class);
        all.put(StreamKind.SCANS, scans);
        all.put(StreamKind.THREATS, threats);
        all.put(StreamKind.AUDIT, audit);
        all.put(StreamKind.JOBS, jobs);
        return all;
    }

    /** Ends every stream and closes the shared cursors (see {@link StreamShutdown}). */
    void stop() {
        List.of(scans, threats, audit, jobs).forEach(SharedStream::stop);
    }

    /** A USER follows its own scans; analysts and admins their tenant's. */
    private static boolean mayRead(Caller caller, String tenantId, String ownerId) {
        return caller.tenantId().equals(tenantId)
                && (Rule.ANALYST_OR_ADMIN.admits(caller) || caller.subject().equals(ownerId));
    }
}
