package com.phishnet.store.tokens;

import java.time.Duration;
import java.time.Instant;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** Request and response shapes of the refresh-token API, and its settings. */
public final class RefreshTokenRequests {

    private RefreshTokenRequests() {
    }

    public record Rotate(@NotBlank @Size(max = 200) String token) {

        @Override
        public String toString() {
            return "Rotate[token=<redacted>]";
        }
    }

    /** The only time the token itself is shown: the service keeps just its hash. */
    public record IssuedToken(String id, String token, String familyId, Instant expiresAt) {

        @Override
        public String toString() {
            return "IssuedToken[id=" + id + ", familyId=" + familyId + "]";
        }
    }

    @Validated
    @ConfigurationProperties("phishnet.tokens")
    /**
     * {@code rotationRetryWindow}: how long after an exchange a retry with the same token and Idempotency-Key
     * gets the same successor back instead of being treated as reuse; short, since such a request could also be
     * a stolen copy.
     */
    public record RefreshTokenProperties(
            @DefaultValue("30d") @DurationMin(minutes = 1) Duration refreshTtl,
            @DefaultValue("2m") @DurationMin(seconds = 1) @DurationMax(hours = 1) Duration rotationRetryWindow) {
    }
}
