package com.phishnet.store.apikeys;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

import com.phishnet.store.apikeys.ApiKey.Status;
import com.phishnet.store.platform.security.Caller;

/**
 * The rules of API keys, without I/O.
 * <ul>
 * <li>A key never carries more than its creator may grant. A tenant ADMIN (the routes' rule) may grant
 * {@code scans:write}, which an ADMIN holds by role anyway. {@code reputation:write} (global verdicts every tenant
 * sees) and {@code credentials:read-secret} only a creator whose own token carries that scope may grant.
 * {@code service:operator} is no {@link ApiKeyScope} at all. Rotation grants the key's scopes again, so the
 * rotating caller must be able to grant them too.</li>
 * <li>An expiry is in the future and at most {@code max-lifetime} ahead.</li>
 * <li>Only an active key that has not been rotated already can be rotated; the old key then expires at the end of
 * the grace period (at once for 0), never later than it would have. The new key keeps the old key's expiry
 * unless the rotation gives one.</li>
 * </ul>
 */
final class ApiKeyRules {

    private ApiKeyRules() {
    }

    /** Why the caller may not grant these scopes, or null when it may. */
    static String grantRefusal(Caller caller, Collection<ApiKeyScope> scopes) {
        List<String> missing = scopes.stream().distinct()
                .filter(scope -> scope != ApiKeyScope.SCANS_WRITE && !caller.has(scope.scope()))
                .map(ApiKeyScope::value).sorted().toList();
        return missing.isEmpty() ? null : "A key can only carry scopes its creator holds; your token lacks "
                + String.join(", ", missing) + ".";
    }

    /** Why the expiry is not acceptable at {@code now}, or null (also for no expiry). */
    static String expiryProblem(Instant expiresAt, Instant now, Duration maxLifetime) {
        if (expiresAt == null) {
            return null;
        }
        if (!expiresAt.isAfter(now)) {
            return "must be in the future";
        }
        if (expiresAt.isAfter(now.plus(maxLifetime))) {
            return "must be at most " + maxLifetime.toDays() + " days ahead";
        }
        return null;
    }

    /** Why the key cannot be rotated at {@code now}, or null when it can. */
    static String rotationRefusal(ApiKey key, Instant now) {
        if (key.rotatedTo() != null) {
            return "The API key " + key.id() + " was already rotated to " + key.rotatedTo() + "; rotate that one.";
        }
        Status status = key.statusAt(now);
        return status == Status.ACTIVE ? null : "The API key " + key.id() + " is " + status.name().toLowerCase()
                + " and cannot be rotated; create a new one.";
    }

    /** When the old key stops working after a rotation with this grace: never later than its own expiry. */
    static Instant retiredAt(ApiKey key, Instant now, Duration grace) {
        Instant end = now.plus(grace);
        return key.expiresAt() != null && key.expiresAt().isBefore(end) ? key.expiresAt() : end;
    }

    /**
     * The successor's expiry after a rotation: the requested one (already checked like a new key's), else the old
     * key's own (null: none). An inherited expiry is not checked against {@code max-lifetime}: the old key was
     * given it within the bounds of its time, and a rotation must not extend nor shorten a key's life unasked.
     */
    static Instant successorExpiry(ApiKey old, Instant requested) {
        return requested != null ? requested : old.expiresAt();
    }

    /** Whether a presented key, found and matching its hash, may act at {@code now}. */
    static boolean usable(ApiKey key, Instant now) {
        return key.statusAt(now) == Status.ACTIVE;
    }
}
