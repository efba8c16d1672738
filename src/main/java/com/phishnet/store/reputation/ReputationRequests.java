package com.phishnet.store.reputation;

import java.time.Instant;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Request and response shapes of the reputation API. */
public final class ReputationRequests {

    private ReputationRequests() {
    }

    public record PutVerdict(
            @NotNull SubjectType type,
            @NotBlank @Size(max = ReputationFields.SUBJECT_MAX) String subject,
            @NotNull ReputationVerdict verdict,
            @DecimalMin("0.0") @DecimalMax("1.0") double score,
            @NotBlank @Size(max = ReputationFields.SOURCE_MAX) String source,
            @Min(60) @Max(30L * 24 * 3600) long ttlSeconds) {
    }

    /** {@code scope} says whether the verdict is the caller's tenant override or the global one. */
    public record ReputationView(SubjectType type, String subject, ReputationScope scope, ReputationVerdict verdict,
            double score, String source, Instant fetchedAt, Instant expiresAt) {

        static ReputationView of(ReputationEntry entry) {
            return new ReputationView(entry.subjectType(), entry.subject(), entry.scope(), entry.verdict(),
                    entry.score(), entry.source(), entry.fetchedAt(), entry.expiresAt());
        }
    }
}
