package com.phishnet.store.tokens;

public enum RefreshTokenStatus {
    /** Can be exchanged once. */
    ACTIVE,
    /** Was exchanged; presenting it again means it leaked. */
    USED,
    REVOKED
}
