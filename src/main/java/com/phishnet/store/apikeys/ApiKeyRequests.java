package com.phishnet.store.apikeys;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.phishnet.store.apikeys.ApiKey.Status;

import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** Request and response shapes of the API-key routes, and their settings. */
public final class ApiKeyRequests {

    /** The longest grace period a rotation may leave the old key: a day. */
    public static final long MAX_GRACE_SECONDS = 86_400;

    private ApiKeyRequests() {
    }

    /**
     * A new key: a name (1-100 characters, no control or format characters), one to three scopes
     * ({@link ApiKeyScope}; repeats count once) and an optional expiry, in the future and at most {@code phishnet.api-keys.max-lifetime} ahead.
     */
    public record CreateKey(
            @NotBlank @Size(max = ApiKeyFields.NAME_MAX) @Pattern(regexp = ApiKeyFields.NAME_PATTERN,
                    message = "must not contain control or format characters") String name,
            @NotEmpty @Size(max = 3) List<@NotNull ApiKeyScope> scopes,
            Instant expiresAt) {
    }

    /**
     * Rotation: {@code graceSeconds} (0 by default, at most a day) the old key keeps working, and the new key's
     * optional expiry, bounded like a new key's.
     */
    public record RotateKey(
            @Min(0) @Max(MAX_GRACE_SECONDS) Long graceSeconds,
            Instant expiresAt) {
    }

    /** The only time a key is shown: the service keeps its prefix and a keyed hash of it. */
    public record IssuedKey(String id, String key, String name, String prefix, List<String> scopes,
            Instant createdAt, Instant expiresAt, String rotatedFrom) {

        @Override
        public String toString() {
            return "IssuedKey[id=" + id + ", prefix=" + prefix + "]";
        }
    }

    /** A key as lists and reads show it: never the key, never its hash. */
    public record KeyView(String id, String name, String prefix, List<String> scopes, Status status,
            String createdBy, Instant createdAt, Instant expiresAt, Instant revokedAt, String revokedBy,
            Instant lastUsedAt, String rotatedFrom, String rotatedTo) {

        static KeyView of(ApiKey key, Instant now) {
            return new KeyView(key.id(), key.name(), key.prefix(), key.scopes(), key.statusAt(now), key.createdBy(),
                    key.createdAt(), key.expiresAt(), key.revokedAt(), key.revokedBy(), key.lastUsedAt(),
                    key.rotatedFrom(), key.rotatedTo());
        }
    }

    /** A keyset page: {@code nextCursor} is null on the last page. */
    public record KeyPage(List<KeyView> items, String nextCursor) {
    }

    /**
     * {@code last-used-flush-interval}: how often this instance writes the last-use times it recorded (one unordered
     * bulk of $max updates), so {@code lastUsedAt} is at most this much behind. {@code max-lifetime}: the latest
     * expiry a key may be given. {@code max-rotation-grace}: the longest an old key may keep working after a
     * rotation (never more than a day).
     */
    @Validated
    @ConfigurationProperties("phishnet.api-keys")
    public record ApiKeyProperties(
            @DefaultValue("60s") @DurationMin(seconds = 1) @DurationMax(hours = 1) Duration lastUsedFlushInterval,
            @DefaultValue("730d") @DurationMin(days = 1) @DurationMax(days = 730) Duration maxLifetime,
            @DefaultValue("24h") @DurationMin(seconds = 0) @DurationMax(hours = 24) Duration maxRotationGrace) {
    }
}
