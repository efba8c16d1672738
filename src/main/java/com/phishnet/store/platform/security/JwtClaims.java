package com.phishnet.store.platform.security;

/** The claims the service reads from a bearer token besides {@code sub}. */
public final class JwtClaims {

    public static final String TENANT = "tenant";
    public static final String ROLES = "roles";
    public static final String SCOPE = "scope";

    private JwtClaims() {
    }
}
