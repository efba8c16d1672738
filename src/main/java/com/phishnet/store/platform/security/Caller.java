package com.phishnet.store.platform.security;

import java.util.Arrays;
import java.util.Set;

import org.springframework.security.access.AccessDeniedException;

/**
 * The authenticated caller of a request, as every service sees it: who, for which tenant, with which roles
 * and scopes, and from where (for the audit trail). Every tenant query is scoped by {@link #tenantId()}.
 */
public record Caller(String subject, String tenantId, Set<Role> roles, Set<String> scopes, String ip,
        String userAgent, String requestId) {

    /** Scope that allows reading credential plaintext; every such read is audited. */
    public static final String READ_SECRET_SCOPE = "credentials:read-secret";

    /**
     * Service-wide work that crosses tenants (key rotation, cross-tenant statistics, metrics, global reputation
     * feeds). A tenant's ADMIN role does not imply it: only tokens the identity provider mints for the operators
     * of the service carry it.
     */
    public static final String OPERATOR_SCOPE = "service:operator";

    public boolean has(Role role) {
        return roles.contains(role);
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    /** Throws 403 unless the caller has one of the roles. */
    public void requireAnyRole(Role... allowed) {
        if (Arrays.stream(allowed).noneMatch(roles::contains)) {
            throw new AccessDeniedException("This action needs one of the roles " + Arrays.toString(allowed));
        }
    }

    /** Throws 403 unless the caller is the given user or has one of the roles. */
    public void requireSelfOrAnyRole(String userId, Role... allowed) {
        if (!subject.equals(userId)) {
            requireAnyRole(allowed);
        }
    }

    public boolean isOperator() {
        return hasScope(OPERATOR_SCOPE);
    }

    /** Throws 403 unless the caller holds the service-operator authority. */
    public void requireOperator() {
        requireScope(OPERATOR_SCOPE);
    }

    public void requireScope(String scope) {
        if (!hasScope(scope)) {
            throw new AccessDeniedException("This action needs the scope '" + scope + "'");
        }
    }
}
