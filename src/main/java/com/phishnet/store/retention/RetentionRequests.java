package com.phishnet.store.retention;

import java.time.Instant;
import java.util.List;
import java.util.Map;

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
}
