package com.phishnet.store.platform.security;

/** What a caller may do within its tenant; carried in the JWT {@code roles} claim. */
public enum Role {
    USER, ANALYST, ADMIN;

    public String authority() {
        return "ROLE_" + name();
    }
}
