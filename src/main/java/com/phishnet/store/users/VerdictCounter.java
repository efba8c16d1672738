package com.phishnet.store.users;

import java.util.Locale;

/** One of a user's per-verdict scan counters, so callers name one without knowing how it is stored. */
public enum VerdictCounter {
    CLEAN, SUSPICIOUS, MALICIOUS;

    /** Its stored name: the {@link User.UserStats} component it counts into. */
    String field() {
        return name().toLowerCase(Locale.ROOT);
    }
}
