package com.phishnet.store.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Set;

import com.mongodb.MongoWriteException;
import com.mongodb.WriteError;
import com.mongodb.ServerAddress;
import com.phishnet.store.support.RenderedBson;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DuplicateKeyException;

/**
 * The job queries as rendered BSON. Who may start or read a service job is the routes' rule (RouteRulesTest), not
 * this service's.
 */
class JobQueriesTest {

    @Test
    void aServiceJobIsFoundByIdTypeAndServiceScopeOnly() {
        assertThat(RenderedBson.filter(JobRepository.visibleTo("j-1", JobType.KEY_ROTATION, JobScope.SERVICE, "acme"),
                Job.class))
                .isEqualTo("{\"_id\": \"j-1\", \"type\": \"KEY_ROTATION\", \"scope\": \"SERVICE\"}");
    }

    @Test
    void aTenantJobIsFoundOnlyWithinTheCallersTenant() {
        assertThat(RenderedBson.filter(JobRepository.visibleTo("j-1", JobType.KEY_ROTATION, JobScope.TENANT, "acme"),
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
        assertThat(RenderedBson.filter(JobRepository.runningService(JobType.KEY_ROTATION), Job.class))
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
        assertThat(RenderedBson.update(JobRepository.finished(JobState.COMPLETED, Instant.parse("2026-11-23T10:00:00Z")),
                Job.class))
                .isEqualTo("{\"$set\": {\"state\": \"COMPLETED\", \"completedAt\": {\"$date\": \"2026-11-23T10:00:00Z\"}, "
                        + "\"updatedAt\": {\"$date\": \"2026-11-23T10:00:00Z\"}}}");
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

    @Test
    void anOperatorSeesServiceJobsOnly() {
        assertThat(RenderedBson.filter(JobRepository.listed(new JobRepository.Listing(null, null, true, null)), Job.class))
                .isEqualTo("{\"scope\": \"SERVICE\"}");
    }

    @Test
    void anAdminSeesItsTenantsJobsOnlyAndBothSeeBothWithFiltersOnTop() {
        assertThat(RenderedBson.filter(JobRepository.listed(new JobRepository.Listing(null, null, false, "acme")), Job.class))
                .isEqualTo("{\"scope\": \"TENANT\", \"tenantId\": \"acme\"}");
        assertThat(RenderedBson.filter(JobRepository.listed(new JobRepository.Listing(JobType.BACKUP, JobState.RUNNING,
                true, "acme")), Job.class))
                .isEqualTo("{\"$or\": [{\"scope\": \"SERVICE\"}, {\"scope\": \"TENANT\", \"tenantId\": \"acme\"}], "
                        + "\"type\": \"BACKUP\", \"state\": \"RUNNING\"}");
    }

    @Test
    void aCallerWhoMaySeeNeitherMatchesNothing() {
        assertThat(RenderedBson.filter(JobRepository.listed(new JobRepository.Listing(null, null, false, null)), Job.class))
                .isEqualTo("{\"_id\": {\"$in\": []}}");
    }

    @Test
    void aListIsNewestFirstWithTheIdBreakingTies() {
        assertThat(JobRepository.listed(new JobRepository.Listing(null, null, true, null)).getSortObject())
                .isEqualTo(new org.bson.Document("startedAt", -1).append("_id", -1));
    }

    @Test
    void oneJobIsFoundOnlyWithinTheCallersPartForEveryKindOfCaller() {
        assertThat(RenderedBson.filter(JobRepository.seen("j-1", new JobRepository.Listing(null, null, true, null)), Job.class))
                .isEqualTo("{\"$and\": [{\"scope\": \"SERVICE\"}, {\"_id\": \"j-1\"}]}");
        assertThat(RenderedBson.filter(JobRepository.seen("j-1", new JobRepository.Listing(null, null, false, "acme")), Job.class))
                .isEqualTo("{\"$and\": [{\"scope\": \"TENANT\", \"tenantId\": \"acme\"}, {\"_id\": \"j-1\"}]}");
        // Neither part: still a valid query, matching nothing (no duplicate _id key).
        assertThat(RenderedBson.filter(JobRepository.seen("j-1", new JobRepository.Listing(null, null, false, null)), Job.class))
                .isEqualTo("{\"$and\": [{\"_id\": {\"$in\": []}}, {\"_id\": \"j-1\"}]}");
    }

    @Test
    void onlyARunningJobTheCallerMaySeeIsCancelled() {
        assertThat(RenderedBson.filter(JobRepository.seenRunning("j-1", new JobRepository.Listing(null, null, true, "acme")),
                Job.class))
                .isEqualTo("{\"$and\": [{\"$or\": [{\"scope\": \"SERVICE\"}, {\"scope\": \"TENANT\", \"tenantId\": \"acme\"}]}, "
                        + "{\"_id\": \"j-1\", \"state\": \"RUNNING\"}]}");
    }
}
