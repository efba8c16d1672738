package com.phishnet.store.platform.security;

import java.util.Arrays;
import java.util.List;

/**
 * The whole vocabulary of authority: the roles a tenant token carries, the scopes service principals carry, and
 * the rules handlers declare with {@link Requires}. Every authority decision of the API is one of these rules,
 * checked before its handler runs; nothing else in the code names a role or scope to decide who may act.
 */
public final class Access {

    /**
     * Actuator's health endpoint decides on details by role name ({@code management.endpoint.health.roles}), so
     * operator tokens also get this role; no tenant role implies it.
     */
    public static final String OPERATOR_HEALTH_ROLE = "SERVICE_OPERATOR";

    /** Held only by the Prometheus scrape credential, and good only for {@code /actuator/prometheus}. */
    public static final String METRICS_SCRAPE_AUTHORITY = "METRICS_SCRAPE";

    private Access() {
    }

    /** The Spring Security authority the filter chain grants for a scope written in a token. */
    public static String scopeAuthority(String scope) {
        return "SCOPE_" + scope;
    }

    /** The Spring Security authority of {@link #OPERATOR_HEALTH_ROLE}. */
    public static String operatorHealthRoleAuthority() {
        return "ROLE_" + OPERATOR_HEALTH_ROLE;
    }

    /** What a caller may do within its tenant; carried in the JWT {@code roles} claim. */
    public enum Role {
        USER, ANALYST, ADMIN;

        public String authority() {
            return "ROLE_" + name();
        }
    }

    /** Authority beyond a tenant role, carried in the JWT {@code scope} (or {@code scp}) claim. No role implies one. */
    public enum Scope {
        /** Scanners ingesting scans for their tenant (an ADMIN may as well). */
        SCANS_WRITE("scans:write"),
        /** Threat-feed writers setting the global verdicts every tenant sees. */
        REPUTATION_WRITE("reputation:write"),
        /** Service principals (the mail-sync worker) reading credential plaintext; every read is audited. */
        CREDENTIALS_READ_SECRET("credentials:read-secret"),
        /**
         * Service-wide work across tenants (key rotation, cross-tenant statistics, metrics, another tenant's audit
         * chain). Only tokens the identity provider mints for the service's operators carry it.
         */
        SERVICE_OPERATOR("service:operator");

        private final String value;

        Scope(String value) {
            this.value = value;
        }

        /** The scope as it is written in tokens. */
        public String value() {
            return value;
        }

        /** The Spring Security authority of the scope, as the filter chain grants it. */
        public String authority() {
            return scopeAuthority(value);
        }
    }

    /** Who may call a handler. The checks are those of the routes; the table in docs/security.md lists them. */
    public enum Rule {
        /** No token: the filter chain lets the route through, and its handler takes no caller. */
        PUBLIC,
        /** Any authenticated caller; what it sees is scoped by the service (its tenant, a USER's own records). */
        MEMBER,
        ANALYST_OR_ADMIN,
        ADMIN,
        /** The user the route's {@code {id}} names, or an ADMIN. */
        SELF_OR_ADMIN,
        /** The user the route's {@code {id}} names, or an ANALYST or ADMIN: reads about a user. */
        SELF_OR_ANALYST_OR_ADMIN,
        /** The user who owns the record {@code {id}} names (asked of the handler's {@link OwnerLookup}), or an ADMIN. */
        OWNER_OR_ADMIN,
        /** The service-operator scope. */
        OPERATOR,
        /** The scans-write scope, or an ADMIN. */
        SCAN_WRITER,
        /** The reputation-write scope. */
        REPUTATION_FEED,
        /** The credentials read-secret scope; no role is enough. */
        SECRET_READER,
        /** An ADMIN, or the service-operator scope: the service shows each only its own part (its tenant's, or service-wide). */
        ADMIN_OR_OPERATOR,
        /** An ADMIN; naming another tenant than the caller's ({@code ?tenant=}) also needs the operator scope. */
        ADMIN_AND_OPERATOR_FOR_ANOTHER_TENANT;

        /**
         * Why the caller may not call the route, or null when it may. The reason is the 403's detail and the
         * ACCESS_DENIED audit entry's.
         */
        public String refusal(Caller caller, Target target) {
            return switch (this) {
                case PUBLIC, MEMBER -> null;
                case ANALYST_OR_ADMIN -> anyRole(caller, Role.ANALYST, Role.ADMIN);
                case ADMIN -> anyRole(caller, Role.ADMIN);
                case SELF_OR_ADMIN, OWNER_OR_ADMIN -> target.isUser(caller) ? null : anyRole(caller, Role.ADMIN);
                case SELF_OR_ANALYST_OR_ADMIN -> target.isUser(caller) ? null : anyRole(caller, Role.ANALYST, Role.ADMIN);
                case OPERATOR -> scope(caller, Scope.SERVICE_OPERATOR);
                case ADMIN_OR_OPERATOR -> caller.has(Role.ADMIN) || caller.has(Scope.SERVICE_OPERATOR) ? null
                        : "This action needs the role " + Role.ADMIN + " or the scope '" + Scope.SERVICE_OPERATOR.value() + "'";
                case SCAN_WRITER -> caller.has(Scope.SCANS_WRITE) || caller.has(Role.ADMIN) ? null
                        : "This action needs the scope '" + Scope.SCANS_WRITE.value() + "' or the role " + Role.ADMIN;
                case REPUTATION_FEED -> scope(caller, Scope.REPUTATION_WRITE);
                case SECRET_READER -> scope(caller, Scope.CREDENTIALS_READ_SECRET);
                case ADMIN_AND_OPERATOR_FOR_ANOTHER_TENANT -> {
                    String notAdmin = anyRole(caller, Role.ADMIN);
                    yield notAdmin != null || !target.namesAnotherTenantThan(caller) ? notAdmin
                            : scope(caller, Scope.SERVICE_OPERATOR);
                }
            };
        }

        /**
         * Whether the caller passes a rule that looks at nothing but the caller: for services that scope what a
         * caller sees (a USER its own scans) by the same vocabulary.
         */
        public boolean admits(Caller caller) {
            if (actsOnAUser() || this == ADMIN_AND_OPERATOR_FOR_ANOTHER_TENANT) {
                throw new IllegalArgumentException(this + " depends on the request, not only on the caller");
            }
            return refusal(caller, new Target(null, List.of())) == null;
        }

        /** Whether the rule is about the user a route acts on, so the route must have an {@code {id}}. */
        public boolean actsOnAUser() {
            return this == SELF_OR_ADMIN || this == SELF_OR_ANALYST_OR_ADMIN || this == OWNER_OR_ADMIN;
        }

        private static String anyRole(Caller caller, Role... allowed) {
            return Arrays.stream(allowed).anyMatch(caller::has) ? null
                    : "This action needs one of the roles " + Arrays.toString(allowed);
        }

        private static String scope(Caller caller, Scope scope) {
            return caller.has(scope) ? null : "This action needs the scope '" + scope.value() + "'";
        }
    }

    /**
     * What a rule looks at besides the caller.
     *
     * @param userId  the user the route acts on: its {@code {id}}, or the owner of the record {@code {id}} names
     *                (null when not known)
     * @param tenants every {@code tenant} query parameter value the request carries
     */
    public record Target(String userId, List<String> tenants) {

        boolean isUser(Caller caller) {
            return userId != null && userId.equals(caller.subject());
        }

        /**
         * True unless the request names no tenant, or exactly one that is blank or the caller's own: a repeated
         * parameter binds as a comma-joined value, which is never the caller's tenant either.
         */
        boolean namesAnotherTenantThan(Caller caller) {
            if (tenants.isEmpty()) {
                return false;
            }
            String named = tenants.get(0);
            // A bare "?tenant" arrives as null: like a blank value, it names no tenant.
            return tenants.size() > 1 || !(named == null || named.isBlank() || named.equals(caller.tenantId()));
        }
    }
}
