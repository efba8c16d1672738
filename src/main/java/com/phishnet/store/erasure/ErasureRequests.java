package com.phishnet.store.erasure;

import java.time.Instant;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Request and response shapes of the erasure route. */
public final class ErasureRequests {

    private ErasureRequests() {
    }

    /** @param reason why (a request's reference): required, audited with the erasure */
    public record EraseUser(@NotBlank @Size(max = ErasureFields.MAX_REASON) String reason) {
    }

    /**
     * What this request did: every count is of this run only, so a request for a user erased before answers
     * zeros, or what it completed of an interrupted run. {@code erasedAt} is when the account was erased.
     */
    public record ErasureReport(String userId, Instant erasedAt, long credentialsDeleted, long refreshTokensDeleted,
            long emailsPseudonymised, long scansPseudonymised, long feedbackCleared, long cacheEntriesDropped) {
    }
}
