package com.phishnet.store.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;

import com.mongodb.MongoWriteException;
import com.mongodb.WriteError;
import com.mongodb.ServerAddress;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.Role;
import com.phishnet.store.support.RenderedBson;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.security.access.AccessDeniedException;
import reactor.test.StepVerifier;

/** The job queries and updates as rendered BSON, and the authority checks that run before any query. */
class JobQueriesTest {

    private final Caller tenantAdmin = new Caller("admin-1", "acme", EnumSet.of(Role.ADMIN), Set.of(), "203.0.113.9",
            "", "r-1");
    private final ReactiveMongoTemplate mongo = mock(ReactiveMongoTemplate.class);
    private final JobService jobs = new JobService(new JobRepository(mongo), Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC),
            () -> "j-1");

    @Test
    void aServiceJobIsFoundByIdTypeAndServiceScopeOnly() {
        assertThat(RenderedBson.filter(JobRepository.visibleTo("j-1", Job.JobType.KEY_ROTATION, Job.JobScope.SERVICE, "acme"),
                Job.class))
                .isEqualTo("{\"_id\": \"j-1\", \"type\": \"KEY_ROTATION\", \"scope\": \"SERVICE\"}");
    }

    @Test
    void aTenantJobIsFoundOnlyWithinTheCallersTenant() {
        assertThat(RenderedBson.filter(JobRepository.visibleTo("j-1", Job.JobType.KEY_ROTATION, Job.JobScope.TENANT, "acme"),
                Job.class))
                .isEqualTo("{\"_id\": \"j-1\", \"type\": \"KEY_ROTATION\", \"scope\": \"TENANT\", \"tenantId\": \"acme\"}");
    }

    @Test
    void progressAndOutcomeOnlyChangeARunningJob() {
        assertThat(RenderedBson.filter(JobRepository.running("j-1"), Job.class))
                .isEqualTo("{\"_id\": \"j-1\", \"state\": \"RUNNING\"}");
    }

    @Test
    void onlyARunningJobSilentSinceTheCutoffCanBeTakenOver() {
        assertThat(RenderedBson.filter(JobRepository.staleRunning("j-1", Instant.parse("2026-11-23T09:50:00Z")), Job.class))
                .isEqualTo("{\"_id\": \"j-1\", \"state\": \"RUNNING\", \"updatedAt\": {\"$lt\": {\"$date\": \"2026-11-23T09:50:00Z\"}}}");
    }

    @Test
    void theRunningServiceJobOfATypeIsFoundByTheIndexedFields() {
        assertThat(RenderedBson.filter(JobRepository.runningService(Job.JobType.KEY_ROTATION), Job.class))
                .isEqualTo("{\"type\": \"KEY_ROTATION\", \"scope\": \"SERVICE\", \"state\": \"RUNNING\"}");
    }

    @Test
    void progressAddsTheBatchAndMovesTheCursorOnlyWhenTheBatchHasOne() {
        Instant now = Instant.parse("2026-11-23T10:00:00Z");

        assertThat(RenderedBson.update(JobRepository.progressed(5, 2, "c-9", now), Job.class))
                .isEqualTo("{\"$inc\": {\"processed\": 5, \"changed\": 2}, "
                        + "\"$set\": {\"updatedAt\": {\"$date\": \"2026-11-23T10:00:00Z\"}, \"cursor\": \"c-9\"}}");
        assertThat(RenderedBson.update(JobRepository.progressed(5, 2, null, now), Job.class))
                .isEqualTo("{\"$inc\": {\"processed\": 5, \"changed\": 2}, "
                        + "\"$set\": {\"updatedAt\": {\"$date\": \"2026-11-23T10:00:00Z\"}}}");
    }

    @Test
    void aFinishedJobRecordsItsStateAndWhen() {
        assertThat(RenderedBson.update(JobRepository.finished(Job.JobState.COMPLETED, Instant.parse("2026-11-23T10:00:00Z")),
                Job.class))
                .isEqualTo("{\"$set\": {\"state\": \"COMPLETED\", \"completedAt\": {\"$date\": \"2026-11-23T10:00:00Z\"}, "
                        + "\"updatedAt\": {\"$date\": \"2026-11-23T10:00:00Z\"}}}");
    }

    @Test
    void aTenantAdminCannotReadAServiceJobAndNothingIsQueried() {
        StepVerifier.create(jobs.get("j-1", Job.JobType.KEY_ROTATION, tenantAdmin))
                .verifyError(AccessDeniedException.class);
        verifyNoInteractions(mongo);
    }

    @Test
    void aTenantAdminCannotStartAServiceJobAndNothingIsWritten() {
        StepVerifier.create(jobs.start(Job.JobType.KEY_ROTATION, tenantAdmin))
                .verifyError(AccessDeniedException.class);
        verifyNoInteractions(mongo);
    }

    @Test
    void aDuplicateOnTheOneRunningJobIndexMeansAlreadyRunning() {
        var duplicate = duplicateOn("jobs_one_running_service_job_per_type dup key: { type: \"KEY_ROTATION\" }");

        assertThat(JobService.isAlreadyRunning(new DuplicateKeyException("translated", duplicate))).isTrue();
    }

    @Test
    void otherDuplicatesAreNotMistakenForARunningJob() {
        var duplicate = duplicateOn("_id_ dup key: { _id: \"j-1\" }");

        assertThat(JobService.isAlreadyRunning(new DuplicateKeyException("translated", duplicate))).isFalse();
    }

    private static MongoWriteException duplicateOn(String index) {
        return new MongoWriteException(new WriteError(11000, "E11000 duplicate key error collection: phishnet.jobs index: "
                + index, new BsonDocument()), new ServerAddress(), Set.of());
    }
}
