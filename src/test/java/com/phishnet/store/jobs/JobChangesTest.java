package com.phishnet.store.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;

import com.phishnet.store.platform.mongo.Change;
import com.phishnet.store.platform.mongo.ChangeFeed;
import com.phishnet.store.platform.mongo.ResumeToken;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Access.Scope;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.support.RenderedBson;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The job change source and who may follow a job's progress stream. */
class JobChangesTest {

    private static final Instant STARTED = Instant.parse("2026-11-23T10:00:00Z");
    private static final Instant COMMITTED = Instant.parse("2026-11-23T10:00:05.500Z");
    private static final ResumeToken TOKEN = ResumeToken.parse("8267A1B2C3000000032B042C0100296E5A1004");

    private static final Job SERVICE_JOB = new Job("j-1", JobType.KEY_ROTATION, JobScope.SERVICE, JobState.RUNNING,
            "ops-1", "ops", null, STARTED, STARTED, null, 0, 0, null, null);
    private static final Job ACME_JOB = new Job("j-2", JobType.KEY_ROTATION, JobScope.TENANT, JobState.RUNNING,
            "admin-1", "acme", "acme", STARTED, STARTED, null, 0, 0, null, null);

    private final JobRepository repository = mock(JobRepository.class);
    private final JobService service = new JobService(repository, null, null, Clock.systemUTC(), () -> "id-1");

    @Test
    void theSharedCursorMatchesInsertsUpdatesAndReplacesOfEveryJob() {
        assertThat(JobRepository.changesPipeline())
                .containsExactly(Document.parse("{$match: {operationType: {$in: ['insert', 'update', 'replace']}}}"));
    }

    @Test
    void aFollowedJobIsAServiceJobOrATenantJobOfTheCallersTenant() {
        assertThat(Document.parse(RenderedBson.filter(JobRepository.followable("j-1", "acme"), Job.class)))
                .isEqualTo(Document.parse("{_id: 'j-1', $or: [{scope: 'SERVICE'}, {$and: [{scope: 'TENANT'}, {tenantId: 'acme'}]}]}"));
    }

    @Test
    void aProgressUpdateComesWithTheJobAsLookedUp() {
        ReactiveMongoTemplate template = mock(ReactiveMongoTemplate.class);
        ChangeFeed feed = mock(ChangeFeed.class);
        given(template.getConverter()).willReturn(RenderedBson.converter());
        Document lookedUp = new Document("_id", "j-1").append("type", "KEY_ROTATION").append("scope", "SERVICE")
                .append("state", "RUNNING").append("requestedBy", "ops-1").append("requestedByTenant", "ops")
                .append("startedAt", Date.from(STARTED)).append("updatedAt", Date.from(COMMITTED))
                .append("processed", 500L).append("changed", 120L).append("cursor", "c-500");
        Change progress = new Change(TOKEN, "update", "jobs", lookedUp,
                BsonDocument.parse("{processed: {$numberLong: '500'}, changed: {$numberLong: '120'}}"), COMMITTED);
        Change deletedSince = new Change(TOKEN, "update", "jobs", null, new BsonDocument(), COMMITTED);
        given(feed.watch(eq("jobs"), eq(JobRepository.changesPipeline()), eq(null)))
                .willReturn(Flux.just(deletedSince, progress));

        StepVerifier.create(new JobService(new JobRepository(template, feed), null, null, Clock.systemUTC(), () -> "id-1").changes(null))
                .assertNext(change -> {
                    assertThat(change.token()).isEqualTo(TOKEN);
                    assertThat(change.committedAt()).isEqualTo(COMMITTED);
                    assertThat(change.job()).isEqualTo(new JobRequests.JobView("j-1", JobType.KEY_ROTATION,
                            JobScope.SERVICE, JobState.RUNNING, "ops-1", "ops", null, STARTED, COMMITTED, null, 500, 120,
                            "c-500", null));
                })
                .verifyComplete();
    }

    static Stream<Arguments> followers() {
        return Stream.of(
                Arguments.of("operator", SERVICE_JOB, caller("ops", Set.of(), Scope.SERVICE_OPERATOR), true),
                Arguments.of("admin", SERVICE_JOB, caller("acme", Set.of(Role.ADMIN)), false),
                Arguments.of("user", SERVICE_JOB, caller("acme", Set.of(Role.USER)), false),
                Arguments.of("admin", ACME_JOB, caller("acme", Set.of(Role.ADMIN)), true),
                Arguments.of("operator", ACME_JOB, caller("acme", Set.of(), Scope.SERVICE_OPERATOR), false),
                Arguments.of("analyst", ACME_JOB, caller("acme", Set.of(Role.ANALYST)), false),
                Arguments.of("user", ACME_JOB, caller("acme", Set.of(Role.USER)), false),
                Arguments.of("admin of another tenant", ACME_JOB, caller("globex", Set.of(Role.ADMIN)), false));
    }

    @ParameterizedTest(name = "{1} followed by {0}: {3}")
    @MethodSource("followers")
    void whoMayFollowAJob(String who, Job job, Caller caller, boolean admitted) {
        // As the tenant-scoped lookup would: another tenant's job is not even found.
        given(repository.findFollowable(job.id(), caller.tenantId())).willReturn(
                job.scope() == JobScope.TENANT && !job.tenantId().equals(caller.tenantId()) ? Mono.empty() : Mono.just(job));

        StepVerifier.create(service.follow(caller, job.id()).map(JobRequests.JobView::id))
                .expectNextCount(admitted ? 1 : 0)
                .verifyComplete();
    }

    @Test
    void aTenantJobOfAnotherTenantIsRefusedEvenIfALookupReturnedIt() {
        given(repository.findFollowable("j-2", "globex")).willReturn(Mono.just(ACME_JOB));

        StepVerifier.create(service.follow(caller("globex", Set.of(Role.ADMIN)), "j-2")).verifyComplete();
    }

    @Test
    void onlyCompletedAndFailedJobsAreFinal() {
        assertThat(EnumSet.allOf(JobState.class).stream().filter(JobState::isFinal))
                .containsExactlyInAnyOrder(JobState.COMPLETED, JobState.FAILED);
    }

    private static Caller caller(String tenant, Set<Role> roles, Scope... scopes) {
        return new Caller("c-1", tenant, roles, Stream.of(scopes).map(Scope::value).collect(java.util.stream.Collectors.toSet()),
                "10.0.0.1", "test", "req-1");
    }
}
