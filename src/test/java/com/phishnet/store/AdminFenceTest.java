package com.phishnet.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.security.Requires;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.OfflineApplicationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;

/**
 * The fence around {@code /api/v1/admin/**}: whoever could pass none of its routes' rules gets 403 there for
 * anything, unknown paths and wrong methods included, instead of learning which routes exist.
 */
@OfflineApplicationTest
@TestPropertySource(properties = "phishnet.rate-limit.enabled=false")
@Import(HostileInputTest.FeatureServicesAsMocks.class)
class AdminFenceTest {

    private static final Set<Rule> ADMIN_OR_OPERATOR_RULES = Set.of(Rule.ADMIN, Rule.OPERATOR, Rule.ADMIN_OR_OPERATOR,
            Rule.ADMIN_AND_OPERATOR_FOR_ANOTHER_TENANT);

    @Autowired
    WebTestClient http;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void everyAdminRouteNeedsTheAdminRoleOrTheOperatorScopeSoTheFenceHidesNone() {
        List<HostileInputTest.Route> admin = HostileInputTest.routes(mappings).stream()
                .filter(route -> route.pattern().startsWith("/api/v1/admin/")).toList();

        assertThat(admin).isNotEmpty().allSatisfy(route -> assertThat(
                route.handler().getMethodAnnotation(Requires.class).value()).isIn(ADMIN_OR_OPERATOR_RULES));
    }

    @Test
    void aTenantUserGets403ForUnknownAdminPathsAndWrongMethodsAlike() {
        String user = DevTokens.mint(http, "u-1", "acme", List.of("USER", "ANALYST"));

        for (String path : List.of("/api/v1/admin/no-such-thing", "/api/v1/admin/key-rotations")) {
            http.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + user).exchange()
                    .expectStatus().isForbidden()
                    .expectHeader().contentType("application/problem+json");
        }
    }

    @Test
    void anAdminStillLearnsThatAnUnknownAdminPathDoesNotExist() {
        String admin = DevTokens.mint(http, "admin-1", "acme", List.of("ADMIN"));

        http.get().uri("/api/v1/admin/no-such-thing").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectStatus().isNotFound();
    }
}
