package com.phishnet.store.users;

/** Stored by name. ERASED is final: set only by GDPR erasure, never by PATCH, and never left again. */
public enum UserStatus {
    ACTIVE, SUSPENDED, DEACTIVATED, ERASED
}
