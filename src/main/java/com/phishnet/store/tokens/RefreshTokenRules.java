package com.phishnet.store.tokens;

import java.time.Duration;
import java.time.Instant;

/**
 * The rotation state machine: what presenting a stored refresh token leads to. Expiry is checked here, not
 * only by the TTL index, because the TTL monitor deletes expired documents up to a minute (or more, under
 * load) after {@code expiresAt}.
 */
final class RefreshTokenRules {

    enum Outcome {
        /** Exchange it: mark it used and issue its successor in the same family. */
        ROTATE,
        /** It was already exchanged: somebody holds a copy. Revoke the family and audit the event. */
        REUSE_DETECTED,
        EXPIRED,
        REVOKED
    }

    private RefreshTokenRules() {
    }

    static Outcome onPresented(RefreshToken token, Instant now) {
        return switch (token.status()) {
            case USED -> Outcome.REUSE_DETECTED;
            case REVOKED -> Outcome.REVOKED;
            case ACTIVE -> now.isBefore(token.expiresAt()) ? Outcome.ROTATE : Outcome.EXPIRED;
        };
    }

    /**
     * Whether a used token presented again is the exchange that used it, not a reuse: its recorded successor
     * carries the hash of the secret this request would issue, and is still active and unexpired. Our own
     * successor (same id: a re-run after an unknown commit outcome) always counts; a client retry (same token and
     * Idempotency-Key, hence the same derived secret) only within {@code retryWindow} of the exchange, so a copy
     * of the request replayed later is still treated as a stolen token.
     */
    static boolean isSameExchange(RefreshToken used, RefreshToken successor, String ownSuccessorId,
            String expectedSuccessorHash, Instant now, Duration retryWindow) {
        if (successor == null || !successor.id().equals(used.replacedBy())
                || successor.status() != RefreshTokenStatus.ACTIVE || !now.isBefore(successor.expiresAt())
                || !successor.tokenHash().equals(expectedSuccessorHash)) {
            return false;
        }
        return successor.id().equals(ownSuccessorId)
                || used.usedAt() != null && now.isBefore(used.usedAt().plus(retryWindow));
    }
}
