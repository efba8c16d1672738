package com.phishnet.store.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.security.Access.Scope;
import com.phishnet.store.platform.security.Access.Target;
import org.junit.jupiter.api.Test;

/** Each rule's decision, caller by caller; which route has which rule is RouteRulesTest's. */
class AccessTest {

    private static final Target NOBODY = new Target(null, List.of());

    @Test
    void aMissingRoleIsRefusedNamingTheRolesThatWouldDo() {
        assertThat(Rule.ADMIN.refusal(caller("u-1", Set.of(Role.ANALYST)), NOBODY))
                .isEqualTo("This action needs one of the roles [ADMIN]");
    }

    @Test
    void anyOfTheRolesIsEnough() {
        assertThat(Rule.ANALYST_OR_ADMIN.refusal(caller("u-1", Set.of(Role.ANALYST)), NOBODY)).isNull();
        assertThat(Rule.ANALYST_OR_ADMIN.refusal(caller("u-1", Set.of(Role.ADMIN)), NOBODY)).isNull();
        assertThat(Rule.ANALYST_OR_ADMIN.refusal(caller("u-1", Set.of(Role.USER)), NOBODY)).isNotNull();
    }

    @Test
    void aUserMayActOnThemselvesWithoutTheRole() {
        Caller user = caller("u-1", Set.of(Role.USER));

        assertThat(Rule.SELF_OR_ADMIN.refusal(user, new Target("u-1", List.of()))).isNull();
        assertThat(Rule.SELF_OR_ADMIN.refusal(user, new Target("u-2", List.of()))).isNotNull();
        assertThat(Rule.SELF_OR_ANALYST_OR_ADMIN.refusal(user, new Target("u-2", List.of()))).isNotNull();
        assertThat(Rule.SELF_OR_ANALYST_OR_ADMIN.refusal(caller("u-1", Set.of(Role.ANALYST)), new Target("u-2", List.of())))
                .isNull();
    }

    @Test
    void anAnalystActsOnAnotherUserOnlyWhereReadingIsAllowed() {
        Caller analyst = caller("u-1", Set.of(Role.ANALYST));

        assertThat(Rule.SELF_OR_ADMIN.refusal(analyst, new Target("u-2", List.of()))).isNotNull();
        assertThat(Rule.SELF_OR_ANALYST_OR_ADMIN.refusal(analyst, new Target("u-2", List.of()))).isNull();
    }

    @Test
    void aRecordOfUnknownOwnershipIsOnlyForAnAdmin() {
        assertThat(Rule.OWNER_OR_ADMIN.refusal(caller("u-1", Set.of(Role.USER)), NOBODY)).isNotNull();
        assertThat(Rule.OWNER_OR_ADMIN.refusal(caller("u-1", Set.of(Role.ADMIN)), NOBODY)).isNull();
        assertThat(Rule.OWNER_OR_ADMIN.refusal(caller("u-1", Set.of(Role.USER)), new Target("u-1", List.of()))).isNull();
    }

    @Test
    void theReadSecretScopeMustBeExplicit() {
        assertThat(Rule.SECRET_READER.refusal(caller("u-1", Set.of(Role.values())), NOBODY))
                .contains("credentials:read-secret");
        assertThat(Rule.SECRET_READER.refusal(caller("sync", Set.of(), Scope.CREDENTIALS_READ_SECRET), NOBODY)).isNull();
    }

    @Test
    void noTenantRoleImpliesAServiceScope() {
        Caller everyRole = caller("u-1", Set.of(Role.values()));

        assertThat(Rule.OPERATOR.refusal(everyRole, NOBODY)).contains("service:operator");
        assertThat(Rule.REPUTATION_FEED.refusal(everyRole, NOBODY)).contains("reputation:write");
    }

    @Test
    void scansAreWrittenWithTheScopeOrByAnAdmin() {
        assertThat(Rule.SCAN_WRITER.refusal(caller("scanner", Set.of(), Scope.SCANS_WRITE), NOBODY)).isNull();
        assertThat(Rule.SCAN_WRITER.refusal(caller("u-1", Set.of(Role.ADMIN)), NOBODY)).isNull();
        assertThat(Rule.SCAN_WRITER.refusal(caller("u-1", Set.of(Role.ANALYST)), NOBODY))
                .isEqualTo("This action needs the scope 'scans:write' or the role ADMIN");
    }

    @Test
    void anAdminVerifiesTheirOwnTenantButAnotherOneOnlyWithTheOperatorScope() {
        Caller admin = caller("u-1", Set.of(Role.ADMIN));
        Rule rule = Rule.ADMIN_AND_OPERATOR_FOR_ANOTHER_TENANT;

        assertThat(rule.refusal(admin, new Target(null, List.of()))).isNull();
        assertThat(rule.refusal(admin, new Target(null, List.of("")))).isNull();
        assertThat(rule.refusal(admin, new Target(null, List.of("acme")))).isNull();
        assertThat(rule.refusal(admin, new Target(null, List.of("globex")))).contains("service:operator");
        // Repeated, the parameter binds as "acme,acme": another tenant's name as far as the handler is concerned.
        assertThat(rule.refusal(admin, new Target(null, List.of("acme", "acme")))).contains("service:operator");
        assertThat(rule.refusal(caller("u-1", Set.of(Role.ADMIN), Scope.SERVICE_OPERATOR),
                new Target(null, List.of("globex")))).isNull();
    }

    @Test
    void theOperatorScopeWithoutTheAdminRoleVerifiesNoChain() {
        Caller operator = caller("ops-1", Set.of(), Scope.SERVICE_OPERATOR);

        assertThat(Rule.ADMIN_AND_OPERATOR_FOR_ANOTHER_TENANT.refusal(operator, new Target(null, List.of("globex"))))
                .isEqualTo("This action needs one of the roles [ADMIN]");
    }

    @Test
    void anyAuthenticatedCallerIsAMember() {
        assertThat(Rule.MEMBER.refusal(caller("svc", Set.of()), NOBODY)).isNull();
    }

    @Test
    void aBareTenantParameterNamesNoOtherTenant() {
        Caller admin = caller("admin-1", Set.of(Role.ADMIN));

        assertThat(Rule.ADMIN_AND_OPERATOR_FOR_ANOTHER_TENANT.refusal(admin,
                new Target(null, java.util.Arrays.asList((String) null)))).isNull();
        assertThat(Rule.ADMIN_AND_OPERATOR_FOR_ANOTHER_TENANT.refusal(admin, new Target(null, List.of("globex"))))
                .isNotNull();
    }

    @Test
    void servicesScopeDataByTheSameRules() {
        assertThat(Rule.ANALYST_OR_ADMIN.admits(caller("a-1", Set.of(Role.ANALYST)))).isTrue();
        assertThat(Rule.ANALYST_OR_ADMIN.admits(caller("u-1", Set.of(Role.USER)))).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Rule.SELF_OR_ADMIN.admits(caller("u-1", Set.of(Role.USER))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Caller caller(String subject, Set<Role> roles, Scope... scopes) {
        Set<String> values = new java.util.HashSet<>();
        for (Scope scope : scopes) {
            values.add(scope.value());
        }
        return new Caller(subject, "acme", roles, values, "203.0.113.9", "test", "r-1");
    }
}
