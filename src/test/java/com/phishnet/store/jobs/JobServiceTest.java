package com.phishnet.store.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.function.Supplier;

import com.phishnet.store.audit.AuditEvent;
import com.phishnet.store.audit.AuditEventType;
import com.phishnet.store.audit.AuditService;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.web.ApiException;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Which jobs a caller sees and cancels (the queries themselves: JobQueriesTest); MongoDB is mocked. */
class JobServiceTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    private final JobRepository repository = mock(JobRepository.class);
    private final AuditService audit = mock(AuditService.class);
    private final Transactions transactions = mock(Transactions.class);
    private final JobService service = new JobService(repository, audit, transactions, Clock.fixed(NOW, ZoneOffset.UTC),
            () -> "id-1");

    @Test
    void anOperatorSeesServiceJobsAnAdminItsTenantsAndAnAdminOperatorBoth() {
        given(repository.findSeen(anyString(), any())).willReturn(Mono.empty());
        ArgumentCaptor<JobRepository.Listing> seen = ArgumentCaptor.forClass(JobRepository.Listing.class);

        for (Caller caller : new Caller[] {operator(), admin("acme"), adminOperator("acme")}) {
            StepVerifier.create(service.find(caller, "j-1")).expectError(ApiException.NotFound.class).verify();
        }

        verify(repository, org.mockito.Mockito.times(3)).findSeen(eq("j-1"), seen.capture());
        assertThat(seen.getAllValues()).containsExactly(new JobRepository.Listing(null, null, true, null),
                new JobRepository.Listing(null, null, false, "acme"), new JobRepository.Listing(null, null, true, "acme"));
    }

    @Test
    void cancellingARunningJobMarksItFailedByTheCallerAndAuditsIt() {
        given(transactions.run(anyString(), any())).willAnswer(invocation -> ((Supplier<?>) invocation.getArgument(1)).get());
        given(repository.findSeen(eq("j-1"), any())).willReturn(Mono.just(job(JobState.RUNNING)));
        given(repository.cancel(eq("j-1"), any(), eq("cancelled by admin-1"), eq(NOW))).willReturn(Mono.just(job(JobState.FAILED)));
        given(audit.record(any())).willReturn(Mono.empty());

        StepVerifier.create(service.cancel(adminOperator("acme"), "j-1"))
                .assertNext(view -> assertThat(view.state()).isEqualTo(JobState.FAILED))
                .verifyComplete();

        ArgumentCaptor<AuditEvent> event = ArgumentCaptor.forClass(AuditEvent.class);
        verify(audit).record(event.capture());
        assertThat(event.getValue().type()).isEqualTo(AuditEventType.JOB_CANCELLED);
        assertThat(event.getValue().targetId()).isEqualTo("j-1");
    }

    @Test
    void aFinishedJobCannotBeCancelledAndOneThatFinishesMeanwhileIsAConflictToo() {
        given(transactions.run(anyString(), any())).willAnswer(invocation -> ((Supplier<?>) invocation.getArgument(1)).get());
        given(repository.findSeen(eq("done"), any())).willReturn(Mono.just(job(JobState.COMPLETED)));
        given(repository.findSeen(eq("racing"), any())).willReturn(Mono.just(job(JobState.RUNNING)));
        given(repository.cancel(eq("racing"), any(), anyString(), any())).willReturn(Mono.empty());

        StepVerifier.create(service.cancel(admin("acme"), "done")).expectError(ApiException.Conflict.class).verify();
        StepVerifier.create(service.cancel(admin("acme"), "racing")).expectError(ApiException.Conflict.class).verify();
        verify(repository, never()).cancel(eq("done"), any(), anyString(), any());
        verify(audit, never()).record(any());
    }

    private static Job job(JobState state) {
        return new Job("j-1", JobType.BACKUP, JobScope.SERVICE, state, "ops-1", "ops", null, NOW, NOW, null, 0, 0, null,
                state == JobState.FAILED ? "cancelled by admin-1" : null);
    }

    private static Caller operator() {
        return new Caller("ops-1", "ops", Set.of(), Set.of("service:operator"), "127.0.0.1", "t", "r");
    }

    private static Caller admin(String tenant) {
        return new Caller("admin-1", tenant, Set.of(Role.ADMIN), Set.of(), "127.0.0.1", "t", "r");
    }

    private static Caller adminOperator(String tenant) {
        return new Caller("admin-1", tenant, Set.of(Role.ADMIN), Set.of("service:operator"), "127.0.0.1", "t", "r");
    }

    @Test
    void anExclusiveStartCollidingWithALiveJobIsA409NamingItAndTriesNothingElse() {
        given(repository.findRunningService(JobType.BACKUP)).willReturn(Mono.just(job(JobState.RUNNING)));
        given(repository.failIfSilentSince(eq("j-1"), any(), anyString(), any())).willReturn(Mono.empty());
        java.util.concurrent.atomic.AtomicInteger starts = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger tidied = new java.util.concurrent.atomic.AtomicInteger();

        StepVerifier.create(service.startExclusive(JobType.BACKUP, () -> {
                            starts.incrementAndGet();
                            return Mono.<String>error(alreadyRunning());
                        }, abandoned -> Mono.fromRunnable(tidied::incrementAndGet),
                        running -> java.net.URI.create("/jobs/" + running.id()), "Backup"))
                .expectErrorSatisfies(failure -> {
                    assertThat(failure).isInstanceOf(ApiException.Conflict.class).hasMessageContaining("Backup j-1 is still running");
                    assertThat(((ApiException.Conflict) failure).location()).hasToString("/jobs/j-1");
                })
                .verify();
        assertThat(starts).hasValue(1);
        assertThat(tidied).hasValue(0);
    }

    @Test
    void anExclusiveStartTakesOverAStaleJobTidiesAfterItAndStartsOnceMore() {
        given(repository.findRunningService(JobType.BACKUP)).willReturn(Mono.just(job(JobState.RUNNING)));
        given(repository.failIfSilentSince(eq("j-1"), eq(NOW.minus(JobService.STALE_AFTER)), anyString(), eq(NOW)))
                .willReturn(Mono.just(job(JobState.FAILED)));
        java.util.concurrent.atomic.AtomicInteger starts = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger tidied = new java.util.concurrent.atomic.AtomicInteger();

        StepVerifier.create(service.startExclusive(JobType.BACKUP,
                        () -> starts.incrementAndGet() == 1 ? Mono.<String>error(alreadyRunning()) : Mono.just("started"),
                        abandoned -> Mono.fromRunnable(tidied::incrementAndGet), running -> null, "Backup"))
                .expectNext("started")
                .verifyComplete();
        assertThat(tidied).hasValue(1);
    }

    @Test
    void aSecondCollisionAfterATakeoverIsA409Too() {
        given(repository.findRunningService(JobType.BACKUP)).willReturn(Mono.just(job(JobState.RUNNING)));
        given(repository.failIfSilentSince(eq("j-1"), any(), anyString(), any())).willReturn(Mono.just(job(JobState.FAILED)));

        StepVerifier.create(service.startExclusive(JobType.BACKUP, () -> Mono.<String>error(alreadyRunning()),
                        abandoned -> Mono.empty(), running -> null, "Backup"))
                .expectErrorSatisfies(failure -> assertThat(failure).isInstanceOf(ApiException.Conflict.class)
                        .hasMessage("Another backup has just started."))
                .verify();
    }

    private static RuntimeException alreadyRunning() {
        return new org.springframework.dao.DuplicateKeyException("translated", new com.mongodb.MongoWriteException(
                new com.mongodb.WriteError(11000, "E11000 duplicate key error collection: phishnet.jobs index: "
                        + JobFields.ONE_RUNNING_SERVICE_JOB_INDEX + " dup key: { type: \"BACKUP\" }", new org.bson.BsonDocument()),
                new com.mongodb.ServerAddress(), java.util.Set.of()));
    }
}
