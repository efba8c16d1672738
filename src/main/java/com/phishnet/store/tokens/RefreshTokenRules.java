package com.phishnet.store.tokens;

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
}
