package com.phishnet.store.retention;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.phishnet.store.jobs.JobState;

import com.phishnet.store.platform.web.InputBounds;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request and response shapes of the retention policies and legal holds. */
public final class RetentionRequests {

    private RetentionRequests() {
    }

    /**
     * A tenant's overrides, replacing the ones it had: days per kind of data by name ({@code EMAILS_META},
     * {@code SCAN_RESULTS}, {@code FEEDBACK}, {@code AUDIT_LOGS}, {@code JOBS}); {@code {}} returns every kind to
     * its default.
     */
    public record PutPolicies(
            @NotNull @Size(max = 5) Map<@NotNull @Size(max = 32) String,
                    @NotNull @Min(1) @Max(RetentionProperties.MAX_DAYS) Integer> days) {
    }

    /** Every kind of data's effective policy for the tenant. */
    public record PoliciesView(String tenantId, List<RetentionPolicy> policies, Instant updatedAt, String updatedBy) {
    }

    /**
     * @param userId the user whose data is held; absent = the whole tenant's
     * @param reason why (a matter, a case number): required, kept with the hold
     */
    public record PlaceHold(
            @Pattern(regexp = "[A-Za-z0-9_-]{1," + InputBounds.ID_MAX + "}") String userId,
            @NotBlank @Size(max = RetentionFields.MAX_REASON) String reason) {
    }

    public record HoldView(String id, String tenantId, String userId, String reason, LegalHoldState state,
            String placedBy, Instant placedAt, String liftedBy, Instant liftedAt, String liftReason) {

        static HoldView of(LegalHold hold) {
            return new HoldView(hold.id(), hold.tenantId(), hold.userId(), hold.reason(), hold.state(), hold.placedBy(),
                    hold.placedAt(), hold.liftedBy(), hold.liftedAt(), hold.liftReason());
        }
    }

    /** {@code {"dryRun": true}} reports what a run would do now and changes nothing; {@code {}} runs. */
    public record StartRun(Boolean dryRun) {

        boolean dry() {
            return Boolean.TRUE.equals(dryRun);
        }
    }

    /** Why an operator gives up a run the next runs cannot settle; kept with the run and in the audit entry. */
    public record AbandonRun(@NotBlank @Size(max = 500) String reason) {
    }

    /** A run as listed: its counts per collection and tenant, its archive, and how long it took. */
    public record RunView(String id, JobState state, RetentionRun.Trigger trigger, RetentionRun.Phase phase,
            String requestedBy, Instant startedAt, Instant finishedAt, Long durationMillis, String archiveId,
            long archived, long deleted, List<RetentionRun.Tally> tallies, List<RetentionRun.Resumed> resumed,
            String error) {

        static RunView of(RetentionRun run) {
            return new RunView(run.id(), run.state(), run.trigger(), run.phase(), run.requestedBy(), run.startedAt(),
                    run.finishedAt(), run.finishedAt() == null ? null
                            : java.time.Duration.between(run.startedAt(), run.finishedAt()).toMillis(),
                    run.archiveId(), run.archived(), run.deleted(), run.tallies() == null ? List.of() : run.tallies(),
                    run.resumed() == null ? List.of() : run.resumed(), run.error());
        }
    }

    /** What a run would archive and delete now ({@code expired}) and keep for a hold ({@code skipped}). */
    public record DryRunReport(Instant at, long expired, long skipped, List<RetentionRun.Tally> tallies) {

        static DryRunReport of(Instant at, List<RetentionRun.Tally> tallies) {
            return new DryRunReport(at, tallies.stream().mapToLong(RetentionRun.Tally::expired).sum(),
                    tallies.stream().mapToLong(RetentionRun.Tally::skipped).sum(), tallies);
        }
    }
}
