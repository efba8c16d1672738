package com.phishnet.store.platform.security;

import java.util.Set;

import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Access.Scope;

/**
 * The authenticated caller of a request, as every service sees it: who, for which tenant, with which roles
 * and scopes, and from where (for the audit trail). Every tenant query is scoped by {@link #tenantId()}. Whether
 * the caller may call a route at all is decided before its handler runs ({@link Requires}).
 */
public record Caller(String subject, String tenantId, Set<Role> roles, Set<String> scopes, String ip,
        String userAgent, String requestId) {

    public boolean has(Role role) {
        return roles.contains(role);
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope.value());
    }
}
