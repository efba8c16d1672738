package com.phishnet.store.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

import java.time.Instant;
import java.util.Set;
import java.util.function.Supplier;

import com.phishnet.store.audit.AuditService;
import com.phishnet.store.jobs.JobRequests.JobView;
import com.phishnet.store.jobs.JobRunner;
import com.phishnet.store.jobs.JobScope;
import com.phishnet.store.jobs.JobService;
import com.phishnet.store.jobs.JobState;
import com.phishnet.store.jobs.JobType;
import com.phishnet.store.platform.crypto.FieldCipher;
import com.phishnet.store.platform.crypto.KeyRing;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.Caller;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** A key rotation job counts once, by how its record left RUNNING, and not at all when it was taken over. */
class KeyRotationMetricsTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private static final Caller OPERATOR = new Caller("ops-1", "ops", Set.of(), Set.of("service:operator"), "127.0.0.1",
            "test", "r-1");

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CredentialRepository repository = mock(CredentialRepository.class);
    private final KeyRing keys = mock(KeyRing.class);
    private final JobService jobs = mock(JobService.class);
    private final AuditService audit = mock(AuditService.class);
    private final Transactions transactions = mock(Transactions.class);
    private final KeyRotationService rotation = new KeyRotationService(repository, mock(FieldCipher.class), keys, jobs,
            mock(JobRunner.class), audit, transactions, new KeyRotationMetrics(meters));
    private final JobView job = view(JobState.RUNNING);

    @BeforeEach
    void stubs() {
        given(keys.primaryKeyId()).willReturn("k-2");
        given(repository.sealedWithOtherKeys(eq("k-2"), any(), any(Integer.class))).willReturn(Flux.empty());
        given(transactions.run(any(), any())).willAnswer(call -> ((Supplier<?>) call.getArgument(1)).get());
        given(audit.record(any())).willReturn(Mono.empty());
    }

    @Test
    void aCompletedRotationCountsOnceAsCompleted() {
        given(jobs.complete("j-1")).willReturn(Mono.just(view(JobState.COMPLETED)));

        StepVerifier.create(rotation.run(job, OPERATOR)).expectNextCount(1).verifyComplete();

        assertThat(rotations("completed")).isEqualTo(1);
        assertThat(rotations("failed")).isZero();
    }

    @Test
    void aFailedRotationCountsOnceAsFailed() {
        given(repository.sealedWithOtherKeys(eq("k-2"), any(), any(Integer.class)))
                .willReturn(Flux.error(new IllegalStateException("server unavailable")));
        given(jobs.fail(eq("j-1"), any())).willReturn(Mono.just(view(JobState.FAILED)));

        StepVerifier.create(rotation.run(job, OPERATOR)).expectNextCount(1).verifyComplete();

        assertThat(rotations("failed")).isEqualTo(1);
        assertThat(rotations("completed")).isZero();
    }

    @Test
    void aRotationWhoseAuditFailsAfterItCompletedIsNotAlsoCountedAsFailed() {
        given(jobs.complete("j-1")).willReturn(Mono.just(view(JobState.COMPLETED)));
        given(audit.record(any())).willReturn(Mono.error(new IllegalStateException("audit unavailable")));
        given(jobs.fail(eq("j-1"), any())).willReturn(Mono.empty());

        StepVerifier.create(rotation.run(job, OPERATOR)).verifyComplete();

        assertThat(rotations("completed")).isEqualTo(1);
        assertThat(rotations("failed")).isZero();
    }

    @Test
    void aRotationTakenOverMeanwhileCountsNothingHere() {
        given(jobs.complete("j-1")).willReturn(Mono.empty());

        StepVerifier.create(rotation.run(job, OPERATOR)).verifyComplete();

        assertThat(meters.get(KeyRotationMetrics.ROTATIONS).counters()).hasSize(2)
                .allSatisfy(counter -> assertThat(counter.count()).isZero());
    }

    @Test
    void aRotationAStoppedInstanceLeftRunningCountsAsFailedWhenTheNextStartAbandonsIt() {
        org.mockito.ArgumentCaptor<java.util.function.Function<JobView, Mono<Void>>> abandoned =
                org.mockito.ArgumentCaptor.forClass(java.util.function.Function.class);
        given(jobs.startExclusive(eq(JobType.KEY_ROTATION), any(), abandoned.capture(), any(), any()))
                .willReturn(Mono.empty());
        rotation.start(OPERATOR).block();

        StepVerifier.create(abandoned.getValue().apply(view(JobState.FAILED))).verifyComplete();

        assertThat(rotations("failed")).isEqualTo(1);
        assertThat(rotations("completed")).isZero();
    }

    private double rotations(String outcome) {
        return meters.get(KeyRotationMetrics.ROTATIONS).tag("outcome", outcome).counter().count();
    }

    private static JobView view(JobState state) {
        return new JobView("j-1", JobType.KEY_ROTATION, JobScope.SERVICE, state, "ops-1", "ops", null, NOW, NOW,
                state == JobState.RUNNING ? null : NOW, 0, 0, null, null);
    }
}
