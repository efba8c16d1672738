package com.phishnet.store.retention;

import java.time.Instant;
import java.util.List;

import com.phishnet.store.jobs.JobState;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;

/**
 * One retention run, under its job's id: what it found past each policy per collection and tenant, the archive it
 * wrote (its id is chosen and stored before anything is archived, so a run that stops half-way is found again and
 * finished by the next), and what it deleted.
 */
@Document(RetentionFields.RUNS)
public record RetentionRun(
        @Id String id,
        @Field(RetentionFields.RUN_STATE) JobState state,
        @Field(RetentionFields.RUN_TRIGGER) Trigger trigger,
        @Field(RetentionFields.RUN_PHASE) Phase phase,
        @Field(RetentionFields.RUN_REQUESTED_BY) String requestedBy,
        @Field(RetentionFields.RUN_REQUESTED_BY_TENANT) String requestedByTenant,
        @Field(RetentionFields.RUN_STARTED_AT) Instant startedAt,
        @Field(RetentionFields.RUN_FINISHED_AT) Instant finishedAt,
        @Field(RetentionFields.RUN_ARCHIVE_ID) String archiveId,
        @Field(RetentionFields.RUN_TALLIES) List<Tally> tallies,
        @Field(RetentionFields.RUN_ARCHIVED) long archived,
        @Field(RetentionFields.RUN_DELETED) long deleted,
        @Field(RetentionFields.RUN_RESUMED) List<Resumed> resumed,
        @Field(RetentionFields.RUN_ERROR) String error) {

    public enum Trigger {
        MANUAL, SCHEDULED
    }

    /**
     * Where a run is: counting what expired, writing its archive, deleting what the verified archive holds, or done
     * (either way).
     */
    public enum Phase {
        PLANNING, ARCHIVING, DELETING, DONE
    }

    /**
     * One collection of one tenant ({@code tenantId} absent for service jobs): the instant before which its data
     * had expired, how many documents were past it and not held ({@code expired}), how many past it were kept
     * ({@code skipped}: a legal hold, or for audit entries the chain's newest entry and what follows a held user's
     * entry), and how many this run deleted.
     */
    public record Tally(
            @Field(RetentionFields.TALLY_COLLECTION) String collection,
            @Field(RetentionFields.TALLY_TENANT_ID) String tenantId,
            @Field(RetentionFields.TALLY_BEFORE) Instant before,
            @Field(RetentionFields.TALLY_EXPIRED) long expired,
            @Field(RetentionFields.TALLY_SKIPPED) long skipped,
            @Field(RetentionFields.TALLY_DELETED) long deleted) {

        Tally withDeleted(long count) {
            return new Tally(collection, tenantId, before, expired, skipped, count);
        }
    }

    /** An earlier run's deletions that this run finished from that run's verified archive. */
    public record Resumed(
            @Field(RetentionFields.RESUMED_RUN_ID) String runId,
            @Field(RetentionFields.RESUMED_ARCHIVE_ID) String archiveId,
            @Field(RetentionFields.RESUMED_DELETED) long deleted) {
    }

    static RetentionRun started(String id, Trigger trigger, String requestedBy, String requestedByTenant, Instant at,
            String archiveId) {
        return new RetentionRun(id, JobState.RUNNING, trigger, Phase.PLANNING, requestedBy, requestedByTenant, at, null,
                archiveId, List.of(), 0, 0, List.of(), null);
    }
}
