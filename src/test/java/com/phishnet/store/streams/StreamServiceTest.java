package com.phishnet.store.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.phishnet.store.audit.AuditChange;
import com.phishnet.store.audit.AuditEventType;
import com.phishnet.store.jobs.JobRequests.JobView;
import com.phishnet.store.jobs.JobScope;
import com.phishnet.store.jobs.JobService;
import com.phishnet.store.jobs.JobState;
import com.phishnet.store.jobs.JobType;
import com.phishnet.store.platform.mongo.ChangeFeed;
import com.phishnet.store.platform.mongo.ChangePosition;
import com.phishnet.store.platform.mongo.ResumeToken;
import org.bson.BsonTimestamp;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.scans.ScanChange;
import com.phishnet.store.scans.ScanRequests.ScanView;
import com.phishnet.store.scans.ScanRequests.ThreatView;
import com.phishnet.store.scans.ThreatChange;
import com.phishnet.store.scans.Verdict;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.codec.ServerSentEvent;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The scoping and filters of each stream, over the features' change records as the sources hand them over. */
class StreamServiceTest {

    static final Instant NOW = Instant.ofEpochSecond(TestChanges.CLUSTER_SECONDS + 1000);
    static final Instant EXPIRES = NOW.plusSeconds(3600);

    static final Caller A_USER = caller("ann", "tenant-a", Role.USER);
    static final Caller A_OTHER_USER = caller("abe", "tenant-a", Role.USER);
    static final Caller A_ANALYST = caller("ada", "tenant-a", Role.ANALYST);
    static final Caller A_ADMIN = caller("al", "tenant-a", Role.ADMIN);
    static final Caller B_ANALYST = caller("bea", "tenant-b", Role.ANALYST);
    static final Caller B_ADMIN = caller("bo", "tenant-b", Role.ADMIN);
    static final StreamService.ScanFilter ANY = new StreamService.ScanFilter(null, null, null);

    final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    final StreamMetrics metrics = new StreamMetrics(new SimpleMeterRegistry());
    final StreamProperties properties = SubscriptionsTest.properties(1000, 100, 1000, 10);
    final Feed<ScanChange> scanFeed = new Feed<>();
    final Feed<ThreatChange> threatFeed = new Feed<>();
    final Feed<AuditChange> auditFeed = new Feed<>();
    final Feed<JobView> jobFeed = new Feed<>();
    final StreamSources sources = mock(StreamSources.class);
    final JobService jobService = mock(JobService.class);
    final List<Disposable> open = new ArrayList<>();
    StreamService streams;

    @BeforeEach
    void wireTheSources() {
        given(sources.scans()).willReturn(scanFeed);
        given(sources.threats()).willReturn(threatFeed);
        given(sources.audit()).willReturn(auditFeed);
        given(sources.jobs()).willReturn(jobFeed);
        given(sources.current(any())).willAnswer(call -> {
            JobView job = call.getArgument(0);
            return new Signal.Event<>(null, job.updatedAt(), job, "current " + job.id() + " " + job.state());
        });
        given(jobService.follow(any(), any())).willReturn(Mono.empty());
        ChangeFeed changes = mock(ChangeFeed.class);
        given(changes.afterLastMajorityCommit()).willReturn(Mono.just(new BsonTimestamp((int) TestChanges.CLUSTER_SECONDS, 1)));
        streams = new StreamService(sources, changes, jobService, properties, new StreamLimits(properties, metrics), metrics,
                JsonMapper.builder().build(), Clock.fixed(NOW, ZoneOffset.UTC), time,
                Schedulers.immediate());
    }

    @AfterEach
    void closeStreams() {
        open.forEach(Disposable::dispose);
        streams.stop();
    }

    static Caller caller(String subject, String tenant, Role role) {
        return new Caller(subject, tenant, Set.of(role), Set.of(), "127.0.0.1", "", "req-" + subject);
    }

    /** The data of the change events received, in order (the opening and keep-alive comments left out). */
    List<String> follow(Flux<ServerSentEvent<String>> stream) {
        List<String> received = new CopyOnWriteArrayList<>();
        open.add(stream.filter(event -> event.data() != null).subscribe(event -> received.add(event.data())));
        return received;
    }

    ScanChange scan(String id, String tenant, String user, Verdict verdict, double score) {
        ScanView view = new ScanView(id, user, "e-" + id, "eve@evil.example", verdict, verdict, score, null, "m-1", null,
                NOW, null);
        return new ScanChange(null, NOW, tenant, user, verdict, score, view);
    }

    ThreatChange threat(String id, String tenant, String user) {
        ScanView view = new ScanView(id, user, "e-" + id, "eve@evil.example", Verdict.MALICIOUS, Verdict.MALICIOUS, 0.9,
                null, "m-1", null, NOW, null);
        return new ThreatChange(null, NOW, tenant, user, new ThreatView(ThreatView.DETECTED, null, Verdict.MALICIOUS, view));
    }

    static AuditChange audit(String id, String tenant, AuditEventType type) {
        return new AuditChange(null, NOW, tenant, type.name(), null);
    }

    static JobView job(String id, String tenant, JobState state, long processed) {
        return new JobView(id, JobType.KEY_ROTATION, JobScope.TENANT, state, "al", tenant, tenant, NOW, NOW.plusSeconds(processed),
                state.isFinal() ? NOW.plusSeconds(processed) : null, processed, processed, null, null);
    }

    @Test
    void aTenantNeverSeesAnotherTenantsScansThreatsOrAudit() {
        List<String> scans = follow(streams.scans(B_ANALYST, ANY, null, EXPIRES));
        List<String> threats = follow(streams.threats(B_ANALYST, null, EXPIRES));
        List<String> audit = follow(streams.audit(B_ADMIN, null, null, EXPIRES));

        scanFeed.commit(scan("s-a", "tenant-a", "ann", Verdict.MALICIOUS, 0.9), "scan s-a");
        threatFeed.commit(threat("s-a", "tenant-a", "ann"), "threat s-a");
        auditFeed.commit(audit("au-a", "tenant-a", AuditEventType.SCAN_INGESTED), "audit au-a");
        scanFeed.commit(scan("s-b", "tenant-b", "bill", Verdict.CLEAN, 0.1), "scan s-b");
        threatFeed.commit(threat("s-b", "tenant-b", "bill"), "threat s-b");
        auditFeed.commit(audit("au-b", "tenant-b", AuditEventType.SCAN_INGESTED), "audit au-b");

        assertThat(scans).containsExactly("scan s-b");
        assertThat(threats).containsExactly("threat s-b");
        assertThat(audit).containsExactly("audit au-b");
    }

    @Test
    void aResumingClientsCatchUpIsScopedToItsTenantToo() {
        follow(streams.scans(A_ANALYST, ANY, null, EXPIRES));
        scanFeed.commit(scan("s-0", "tenant-b", "bill", Verdict.CLEAN, 0.1), "scan s-0");
        scanFeed.commit(scan("s-a", "tenant-a", "ann", Verdict.CLEAN, 0.1), "scan s-a");
        scanFeed.commit(scan("s-b", "tenant-b", "bill", Verdict.CLEAN, 0.1), "scan s-b");

        List<String> resumed = follow(streams.scans(B_ANALYST, ANY, TestChanges.token(1), EXPIRES));
        scanFeed.commit(scan("s-a2", "tenant-a", "ann", Verdict.CLEAN, 0.1), "scan s-a2");
        scanFeed.commit(scan("s-b2", "tenant-b", "bill", Verdict.CLEAN, 0.1), "scan s-b2");

        assertThat(resumed).containsExactly("scan s-b", "scan s-b2");
    }

    @Test
    void aUserSeesOnlyItsOwnScansAndThreatsWhileAnalystsAndAdminsSeeTheirTenants() {
        List<String> userScans = follow(streams.scans(A_USER, ANY, null, EXPIRES));
        List<String> userThreats = follow(streams.threats(A_USER, null, EXPIRES));
        List<String> analystScans = follow(streams.scans(A_ANALYST, ANY, null, EXPIRES));
        List<String> adminThreats = follow(streams.threats(A_ADMIN, null, EXPIRES));

        scanFeed.commit(scan("s-1", "tenant-a", "ann", Verdict.CLEAN, 0.1), "scan s-1");
        scanFeed.commit(scan("s-2", "tenant-a", "abe", Verdict.CLEAN, 0.1), "scan s-2");
        threatFeed.commit(threat("s-3", "tenant-a", "abe"), "threat s-3");
        threatFeed.commit(threat("s-4", "tenant-a", "ann"), "threat s-4");
        // A user of the same name in another tenant is someone else.
        scanFeed.commit(scan("s-5", "tenant-b", "ann", Verdict.CLEAN, 0.1), "scan s-5");

        assertThat(userScans).containsExactly("scan s-1");
        assertThat(userThreats).containsExactly("threat s-4");
        assertThat(analystScans).containsExactly("scan s-1", "scan s-2");
        assertThat(adminThreats).containsExactly("threat s-3", "threat s-4");
    }

    @Test
    void aUserAskingForAnotherUsersScansStillGetsOnlyItsOwnAsGetScansDoes() {
        List<String> scans = follow(streams.scans(A_USER, new StreamService.ScanFilter(null, null, "abe"), null, EXPIRES));

        scanFeed.commit(scan("s-1", "tenant-a", "abe", Verdict.CLEAN, 0.1), "scan s-1");
        scanFeed.commit(scan("s-2", "tenant-a", A_USER.subject(), Verdict.CLEAN, 0.1), "scan s-2");

        assertThat(scans).containsExactly("scan s-2");
    }

    @Test
    void theVerdictMinScoreAndUserFiltersEachNarrowTheScans() {
        List<String> malicious = follow(streams.scans(A_ANALYST, new StreamService.ScanFilter(Verdict.MALICIOUS, null, null),
                null, EXPIRES));
        List<String> atLeastHalf = follow(streams.scans(A_ANALYST, new StreamService.ScanFilter(null, 0.5, null), null,
                EXPIRES));
        List<String> abes = follow(streams.scans(A_ANALYST, new StreamService.ScanFilter(null, null, "abe"), null, EXPIRES));
        List<String> all = follow(streams.scans(A_ANALYST, new StreamService.ScanFilter(Verdict.SUSPICIOUS, 0.5, "abe"),
                null, EXPIRES));

        scanFeed.commit(scan("s-1", "tenant-a", "ann", Verdict.MALICIOUS, 0.95), "scan s-1");
        scanFeed.commit(scan("s-2", "tenant-a", "abe", Verdict.SUSPICIOUS, 0.5), "scan s-2");
        scanFeed.commit(scan("s-3", "tenant-a", "abe", Verdict.SUSPICIOUS, 0.49), "scan s-3");
        scanFeed.commit(scan("s-4", "tenant-a", "abe", Verdict.CLEAN, 0.1), "scan s-4");

        assertThat(malicious).containsExactly("scan s-1");
        assertThat(atLeastHalf).containsExactly("scan s-1", "scan s-2");
        assertThat(abes).containsExactly("scan s-2", "scan s-3", "scan s-4");
        assertThat(all).containsExactly("scan s-2");
    }

    @Test
    void theAuditEventTypeFilterLetsOnlyThatTypeThrough() {
        List<String> reuse = follow(streams.audit(A_ADMIN, AuditEventType.REFRESH_TOKEN_REUSE_DETECTED, null, EXPIRES));
        List<String> every = follow(streams.audit(A_ADMIN, null, null, EXPIRES));

        auditFeed.commit(audit("au-1", "tenant-a", AuditEventType.REFRESH_TOKEN_ISSUED), "audit au-1");
        auditFeed.commit(audit("au-2", "tenant-a", AuditEventType.REFRESH_TOKEN_REUSE_DETECTED), "audit au-2");
        auditFeed.commit(audit("au-3", "tenant-b", AuditEventType.REFRESH_TOKEN_REUSE_DETECTED), "audit au-3");

        assertThat(reuse).containsExactly("audit au-2");
        assertThat(every).containsExactly("audit au-1", "audit au-2");
    }

    @Test
    void aJobStreamSendsTheStateNowThenOnlyThatJobsChangesAndCompletesWhenItIsDone() {
        given(jobService.follow(A_ADMIN, "job-1")).willReturn(Mono.just(job("job-1", "tenant-a", JobState.RUNNING, 0)));

        StepVerifier.create(streams.job(A_ADMIN, "job-1", EXPIRES).filter(event -> event.data() != null))
                .assertNext(current -> {
                    assertThat(current.id()).isNull();
                    assertThat(current.event()).isEqualTo("job");
                    assertThat(current.data()).isEqualTo("current job-1 RUNNING");
                })
                .then(() -> {
                    jobFeed.commit(job("job-2", "tenant-a", JobState.RUNNING, 5), "job-2 at 5");
                    jobFeed.commit(job("job-1", "tenant-a", JobState.RUNNING, 10), "job-1 at 10");
                    jobFeed.commit(job("job-2", "tenant-a", JobState.COMPLETED, 20), "job-2 done");
                    jobFeed.commit(job("job-1", "tenant-a", JobState.COMPLETED, 30), "job-1 done");
                    jobFeed.commit(job("job-1", "tenant-a", JobState.COMPLETED, 30), "never sent");
                })
                .assertNext(progress -> {
                    assertThat(progress.data()).isEqualTo("job-1 at 10");
                    assertThat(progress.id()).isEqualTo(TestChanges.token(2).data());
                })
                .assertNext(done -> assertThat(done.data()).isEqualTo("job-1 done"))
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        assertThat(streams.sharedStreams().get(StreamKind.JOBS).subscribers()).isZero();
    }

    @Test
    void aJobStreamEndsOnFailureToo() {
        given(jobService.follow(A_ADMIN, "job-1")).willReturn(Mono.just(job("job-1", "tenant-a", JobState.RUNNING, 0)));

        StepVerifier.create(streams.job(A_ADMIN, "job-1", EXPIRES).filter(event -> event.data() != null))
                .expectNextCount(1)
                .then(() -> jobFeed.commit(job("job-1", "tenant-a", JobState.FAILED, 3), "job-1 failed"))
                .assertNext(failed -> assertThat(failed.data()).isEqualTo("job-1 failed"))
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void aJobAlreadyFinalIsSentOnceAndTheStreamEnds() {
        given(jobService.follow(A_ADMIN, "job-1")).willReturn(Mono.just(job("job-1", "tenant-a", JobState.COMPLETED, 9)));

        StepVerifier.create(streams.job(A_ADMIN, "job-1", EXPIRES).filter(event -> event.data() != null))
                .assertNext(current -> assertThat(current.data()).isEqualTo("current job-1 COMPLETED"))
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        assertThat(streams.sharedStreams().get(StreamKind.JOBS).subscribers()).isZero();
    }

    @Test
    void aJobTheCallerMayNotSeeIsNotFoundBeforeAnythingIsSent() {
        given(jobService.follow(A_ADMIN, "job-1")).willReturn(Mono.just(job("job-1", "tenant-a", JobState.RUNNING, 0)));

        // The job service answers empty for another tenant's job, exactly as for one that does not exist.
        StepVerifier.create(streams.job(B_ADMIN, "job-1", EXPIRES))
                .expectErrorSatisfies(notFound -> assertThat(notFound).isInstanceOf(ApiException.NotFound.class)
                        .hasMessageContaining("job-1"))
                .verify(Duration.ofSeconds(5));
        StepVerifier.create(streams.job(A_ADMIN, "no-such-job", EXPIRES))
                .expectError(ApiException.NotFound.class)
                .verify(Duration.ofSeconds(5));
        assertThat(streams.sharedStreams().get(StreamKind.JOBS).subscribers()).isZero();
    }

    @Test
    void eachKindOpensOneSharedCursorHoweverManyFollowIt() {
        given(jobService.follow(any(), eq("job-1"))).willReturn(Mono.just(job("job-1", "tenant-a", JobState.RUNNING, 0)));
        for (Caller caller : List.of(A_USER, A_OTHER_USER, A_ANALYST, A_ADMIN, B_ANALYST, B_ADMIN)) {
            follow(streams.scans(caller, ANY, null, EXPIRES));
            follow(streams.scans(caller, new StreamService.ScanFilter(Verdict.MALICIOUS, null, null), null, EXPIRES));
            follow(streams.threats(caller, null, EXPIRES));
            follow(streams.audit(caller, null, null, EXPIRES));
            follow(streams.job(caller, "job-1", EXPIRES));
        }

        assertThat(scanFeed.opened()).isEqualTo(1);
        assertThat(threatFeed.opened()).isEqualTo(1);
        assertThat(auditFeed.opened()).isEqualTo(1);
        assertThat(jobFeed.opened()).isEqualTo(1);
        assertThat(streams.sharedStreams().get(StreamKind.SCANS).subscribers()).isEqualTo(12);
        assertThat(streams.sharedStreams().get(StreamKind.JOBS).subscribers()).isEqualTo(6);
    }

    @Test
    void noCursorIsOpenedBeforeSomeoneFollows() {
        assertThat(List.of(scanFeed.opened(), threatFeed.opened(), auditFeed.opened(), jobFeed.opened()))
                .containsOnly(0);
        assertThat(streams.sharedStreams().values()).extracting(SharedStream::state).containsOnly(SharedStream.State.IDLE);
    }

    /**
     * A change source of one kind with the two properties of a change stream the streams rely on (changes in token
     * order; a cursor opened after a token starts with the next change), typed with the features' change records.
     */
    static final class Feed<T> implements ChangeSource<T> {

        private final List<Signal.Event<T>> history = new ArrayList<>();
        private final List<Sinks.Many<Signal.Event<T>>> cursors = new CopyOnWriteArrayList<>();
        private final AtomicInteger opened = new AtomicInteger();

        void commit(T change, String json) {
            int n = history.size() + 1;
            Signal.Event<T> event = new Signal.Event<>(TestChanges.token(n),
                    Instant.ofEpochSecond(TestChanges.CLUSTER_SECONDS + n), change, json);
            history.add(event);
            cursors.forEach(cursor -> cursor.tryEmitNext(event));
        }

        int opened() {
            return opened.get();
        }

        @Override
        public Flux<Signal.Event<T>> open(ChangePosition from) {
            return Flux.defer(() -> {
                opened.incrementAndGet();
                // A shared cursor starts at a time before any change of the test; a catch-up after a token.
                List<Signal.Event<T>> missed = from == null || from.after() == null ? List.of()
                        : history.stream().filter(event -> event.token().isAfter(from.after())).toList();
                Sinks.Many<Signal.Event<T>> cursor = Sinks.many().unicast().onBackpressureBuffer();
                cursors.add(cursor);
                return Flux.fromIterable(missed).concatWith(cursor.asFlux().doOnCancel(() -> cursors.remove(cursor)));
            });
        }
    }
}
