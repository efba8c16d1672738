package com.phishnet.store;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.phishnet.store.HostileInputTest.Route;
import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.security.Requires;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.OfflineApplicationTest;
import com.phishnet.store.tokens.RefreshTokenOwners;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.mockito.Mockito;
import org.mockito.invocation.Invocation;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Service;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Mono;

/**
 * Who may call which route. {@link #RULES} is the specification, written out by hand: every mapped route must be
 * in it with the rule its handler declares, and nothing else may be. Then, route by route, every kind of caller
 * that lacks the authority gets the 403 problem, audited, before any service is called; and a caller that holds
 * it is let through to the service. The feature services are mocks that answer empty (as in HostileInputTest).
 */
@OfflineApplicationTest
@TestPropertySource(properties = "phishnet.rate-limit.enabled=false")
@Import(HostileInputTest.FeatureServicesAsMocks.class)
class RouteRulesTest {

    /** The user id every {id} of a request is set to; SELF callers are this user, others are not. */
    private static final String USER_ID = "u-1";
    /** The {id} of an OWNER_OR_ADMIN route names a record, not a user: the owner comes from the lookup only. */
    private static final String RECORD_ID = "t-7";

    private static final Map<String, Rule> RULES = Map.ofEntries(
            entry("POST /api/v1/dev/tokens", Rule.PUBLIC),

            entry("POST /api/v1/users", Rule.ADMIN),
            entry("GET /api/v1/users", Rule.ANALYST_OR_ADMIN),
            entry("GET /api/v1/users/{id}", Rule.SELF_OR_ANALYST_OR_ADMIN),
            entry("PATCH /api/v1/users/{id}", Rule.ADMIN),
            entry("DELETE /api/v1/users/{id}", Rule.ADMIN),

            entry("GET /api/v1/users/{id}/credentials", Rule.SELF_OR_ANALYST_OR_ADMIN),
            entry("POST /api/v1/users/{id}/credentials", Rule.SELF_OR_ADMIN),
            entry("PUT /api/v1/users/{id}/credentials/{credentialId}/tokens", Rule.SELF_OR_ADMIN),
            entry("DELETE /api/v1/users/{id}/credentials/{credentialId}", Rule.SELF_OR_ADMIN),
            entry("GET /api/v1/users/{id}/credentials/{credentialId}/secret", Rule.SECRET_READER),
            entry("GET /api/v1/credentials", Rule.ANALYST_OR_ADMIN),

            entry("POST /api/v1/users/{id}/refresh-tokens", Rule.SELF_OR_ADMIN),

            entry("POST /api/v1/api-keys", Rule.ADMIN),
            entry("GET /api/v1/api-keys", Rule.ADMIN),
            entry("GET /api/v1/api-keys/{id}", Rule.ADMIN),
            entry("POST /api/v1/api-keys/{id}/rotate", Rule.ADMIN),
            entry("DELETE /api/v1/api-keys/{id}", Rule.ADMIN),
            entry("POST /api/v1/refresh-tokens/rotate", Rule.MEMBER),
            entry("DELETE /api/v1/refresh-tokens/{id}", Rule.OWNER_OR_ADMIN),
            entry("DELETE /api/v1/refresh-tokens/families/{familyId}", Rule.ADMIN),

            entry("POST /api/v1/scans", Rule.SCAN_WRITER),
            entry("POST /api/v1/scans:batch", Rule.SCAN_WRITER),
            entry("GET /api/v1/scans", Rule.MEMBER),
            entry("GET /api/v1/scans/{id}", Rule.MEMBER),
            entry("POST /api/v1/scans/{id}/feedback", Rule.ANALYST_OR_ADMIN),
            entry("GET /api/v1/scans/{id}/feedback", Rule.ANALYST_OR_ADMIN),
            entry("GET /api/v1/feedback", Rule.ANALYST_OR_ADMIN),
            entry("GET /api/v1/emails", Rule.ANALYST_OR_ADMIN),

            entry("GET /api/v1/reputation", Rule.MEMBER),
            entry("PUT /api/v1/reputation", Rule.ANALYST_OR_ADMIN),
            entry("PUT /api/v1/reputation/global", Rule.REPUTATION_FEED),

            entry("GET /api/v1/analytics/tenant", Rule.ANALYST_OR_ADMIN),
            entry("GET /api/v1/analytics/users/{id}", Rule.SELF_OR_ANALYST_OR_ADMIN),
            entry("GET /api/v1/analytics/daily", Rule.ANALYST_OR_ADMIN),
            entry("GET /api/v1/analytics/feedback", Rule.ANALYST_OR_ADMIN),

            entry("POST /api/v1/streams/tickets", Rule.MEMBER),
            entry("GET /api/v1/streams/scans", Rule.MEMBER),
            entry("GET /api/v1/streams/threats", Rule.MEMBER),
            entry("GET /api/v1/streams/audit", Rule.ADMIN),
            entry("GET /api/v1/streams/jobs/{id}", Rule.MEMBER),

            entry("GET /api/v1/admin/audit", Rule.ADMIN),
            entry("GET /api/v1/admin/audit/verify", Rule.ADMIN_AND_OPERATOR_FOR_ANOTHER_TENANT),
            entry("GET /api/v1/admin/system-stats", Rule.OPERATOR),
            entry("GET /api/v1/admin/metrics", Rule.OPERATOR),
            entry("POST /api/v1/admin/key-rotations", Rule.OPERATOR),
            entry("GET /api/v1/admin/key-rotations/{id}", Rule.OPERATOR),
            entry("POST /api/v1/admin/backups", Rule.OPERATOR),
            entry("GET /api/v1/admin/backups", Rule.OPERATOR),
            entry("GET /api/v1/admin/backups/{id}", Rule.OPERATOR),
            entry("GET /api/v1/admin/backups/{id}/archive", Rule.OPERATOR),
            entry("POST /api/v1/admin/backups/{id}/verify", Rule.OPERATOR),
            entry("POST /api/v1/admin/backups/{id}/restore", Rule.OPERATOR),
            entry("GET /api/v1/admin/backups/{id}/restores/{jobId}", Rule.OPERATOR),
            entry("DELETE /api/v1/admin/backups/{id}", Rule.OPERATOR),
            entry("GET /api/v1/admin/jobs", Rule.ADMIN_OR_OPERATOR),
            entry("GET /api/v1/admin/jobs/{id}", Rule.ADMIN_OR_OPERATOR),
            entry("POST /api/v1/admin/jobs/{id}/cancel", Rule.ADMIN_OR_OPERATOR),
            entry("GET /api/v1/admin/retention/policies", Rule.ADMIN_AND_OPERATOR_FOR_ANOTHER_TENANT),
            entry("PUT /api/v1/admin/retention/policies", Rule.ADMIN_AND_OPERATOR_FOR_ANOTHER_TENANT),
            entry("POST /api/v1/admin/legal-holds", Rule.ADMIN_AND_OPERATOR_FOR_ANOTHER_TENANT),
            entry("GET /api/v1/admin/legal-holds", Rule.ADMIN_AND_OPERATOR_FOR_ANOTHER_TENANT),
            entry("GET /api/v1/admin/legal-holds/{id}", Rule.ADMIN_AND_OPERATOR_FOR_ANOTHER_TENANT),
            entry("DELETE /api/v1/admin/legal-holds/{id}", Rule.ADMIN_AND_OPERATOR_FOR_ANOTHER_TENANT),
            entry("POST /api/v1/admin/retention/runs", Rule.OPERATOR),
            entry("GET /api/v1/admin/retention/runs", Rule.OPERATOR),
            entry("GET /api/v1/admin/retention/runs/{id}", Rule.OPERATOR),
            entry("POST /api/v1/admin/retention/runs/{id}/abandon", Rule.OPERATOR),
            entry("POST /api/v1/admin/users/{id}/erasure", Rule.ADMIN_AND_OPERATOR_FOR_ANOTHER_TENANT));

    private static final List<String> EVERY_ROLE = List.of("USER", "ANALYST", "ADMIN");
    private static final List<String> EVERY_SCOPE = List.of("scans:write", "reputation:write",
            "credentials:read-secret", "service:operator");

    private static final Who ANONYMOUS = new Who("no token", null, List.of(), List.of(), null);
    private static final Who SELF = new Who("the user the path names", USER_ID, List.of("USER"), List.of(), null);
    private static final Who USER = new Who("another USER", "u-2", List.of("USER"), List.of(), null);
    private static final Who ANALYST = new Who("an ANALYST", "u-2", List.of("ANALYST"), List.of(), null);
    private static final Who ADMIN = new Who("an ADMIN", "u-2", List.of("ADMIN"), List.of(), null);
    private static final Who EVERY_SCOPE_NO_ROLE = new Who("every scope but no role", "svc-1", List.of(), EVERY_SCOPE, null);
    private static final Who OPERATOR = new Who("an operator", "ops-1", List.of(), List.of("service:operator"), null);
    private static final Who SCANNER = new Who("a scanner", "scanner-1", List.of(), List.of("scans:write"), null);
    private static final Who FEED = new Who("a feed writer", "feed-1", List.of(), List.of("reputation:write"), null);
    private static final Who MAIL_SYNC = new Who("the mail-sync principal", "sync-1", List.of(),
            List.of("credentials:read-secret"), null);

    /** Per rule, the callers it must refuse: each lacks the authority in a different way. */
    private static final Map<Rule, List<Who>> REFUSED = Map.ofEntries(
            entry(Rule.PUBLIC, List.of()),
            entry(Rule.MEMBER, List.of()),
            entry(Rule.ANALYST_OR_ADMIN, List.of(USER, EVERY_SCOPE_NO_ROLE)),
            entry(Rule.ADMIN, List.of(USER, ANALYST, EVERY_SCOPE_NO_ROLE)),
            entry(Rule.SELF_OR_ADMIN, List.of(USER, ANALYST, EVERY_SCOPE_NO_ROLE)),
            entry(Rule.SELF_OR_ANALYST_OR_ADMIN, List.of(USER, EVERY_SCOPE_NO_ROLE)),
            entry(Rule.OWNER_OR_ADMIN, List.of(USER, ANALYST, EVERY_SCOPE_NO_ROLE)),
            entry(Rule.OPERATOR, List.of(allBut("service:operator"), ADMIN)),
            entry(Rule.ADMIN_OR_OPERATOR, List.of(USER, ANALYST, new Who("every other scope but no role", "svc-1",
                    List.of(), without(EVERY_SCOPE, "service:operator"), null))),
            entry(Rule.SCAN_WRITER, List.of(USER, ANALYST, new Who("every other scope but no role", "svc-1", List.of(),
                    without(EVERY_SCOPE, "scans:write"), null))),
            entry(Rule.REPUTATION_FEED, List.of(allBut("reputation:write"), ANALYST)),
            entry(Rule.SECRET_READER, List.of(allBut("credentials:read-secret"), ADMIN)),
            entry(Rule.ADMIN_AND_OPERATOR_FOR_ANOTHER_TENANT, List.of(ANALYST, OPERATOR,
                    ADMIN.naming("globex"), allBut("service:operator").naming("globex"))));

    /** Per rule, callers it must let through to the service. */
    private static final Map<Rule, List<Who>> ADMITTED = Map.ofEntries(
            entry(Rule.PUBLIC, List.of(ANONYMOUS)),
            entry(Rule.MEMBER, List.of(USER, OPERATOR)),
            entry(Rule.ANALYST_OR_ADMIN, List.of(ANALYST, ADMIN)),
            entry(Rule.ADMIN, List.of(ADMIN)),
            entry(Rule.SELF_OR_ADMIN, List.of(SELF, ADMIN)),
            entry(Rule.SELF_OR_ANALYST_OR_ADMIN, List.of(SELF, ANALYST, ADMIN)),
            entry(Rule.OWNER_OR_ADMIN, List.of(SELF, ADMIN)),
            entry(Rule.OPERATOR, List.of(OPERATOR)),
            entry(Rule.ADMIN_OR_OPERATOR, List.of(ADMIN, OPERATOR)),
            entry(Rule.SCAN_WRITER, List.of(SCANNER, ADMIN)),
            entry(Rule.REPUTATION_FEED, List.of(FEED)),
            entry(Rule.SECRET_READER, List.of(MAIL_SYNC)),
            entry(Rule.ADMIN_AND_OPERATOR_FOR_ANOTHER_TENANT, List.of(ADMIN, ADMIN.naming("acme"),
                    new Who("an ADMIN with the operator scope", "u-2", List.of("ADMIN"), List.of("service:operator"),
                            "globex"))));

    @Autowired
    WebTestClient http;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Autowired
    ApplicationContext context;

    @MockitoBean
    RefreshTokenOwners refreshTokenOwners;

    @LocalServerPort
    int port;

    private final Map<Who, String> tokens = new HashMap<>();

    @Test
    void everyRouteIsInTheSpecificationWithTheRuleItsHandlerDeclares() {
        Map<String, Rule> declared = routes().stream().collect(Collectors.toMap(Route::toString,
                route -> route.handler().getMethodAnnotation(Requires.class).value()));

        assertThat(new TreeMap<>(declared)).isEqualTo(new TreeMap<>(RULES));
    }

    @Test
    void theSpecificationSaysWhoIsRefusedAndWhoAdmittedForEveryRule() {
        assertThat(REFUSED).containsOnlyKeys(Rule.values());
        assertThat(ADMITTED).containsOnlyKeys(Rule.values());
        ADMITTED.forEach((rule, callers) -> assertThat(callers).as("admitted by %s", rule).isNotEmpty());
    }

    @TestFactory
    Stream<DynamicTest> aCallerWithoutTheAuthorityIsRefusedBeforeAnyService() {
        return routes().stream().flatMap(route -> REFUSED.get(rule(route)).stream().map(who -> DynamicTest.dynamicTest(
                route + " refuses " + who.description(), () -> {
                    EntityExchangeResult<byte[]> result = send(route, who);

                    assertThat(result.getStatus().value()).as("%s for %s", route, who.description()).isEqualTo(403);
                    assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
                    assertThat(new String(result.getResponseBodyContent(), StandardCharsets.UTF_8))
                            .contains("\"type\":\"urn:phishnet:problem:forbidden\"");
                    // The refusal is audited, and that is all any service heard of the request.
                    assertThat(serviceCalls()).as("service calls for a refused %s", route)
                            .extracting(call -> call.getMethod().getName())
                            .containsExactly("accessDenied");
                })));
    }

    @Test
    void theRuleIsCheckedBeforeTheBodyIsRead() {
        http.post().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + token(ANALYST))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"email\": 42")
                .exchange()
                .expectStatus().isForbidden();
        http.post().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + token(ADMIN))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"email\": 42")
                .exchange()
                .expectStatus().isBadRequest();
    }

    @TestFactory
    Stream<DynamicTest> aCallerWithTheAuthorityReachesTheService() {
        return routes().stream().flatMap(route -> ADMITTED.get(rule(route)).stream().map(who -> DynamicTest.dynamicTest(
                route + " admits " + who.description(), () -> {
                    EntityExchangeResult<byte[]> result = send(route, who);

                    assertThat(result.getStatus().value()).as("%s for %s: %s", route, who.description(),
                            new String(result.getResponseBodyContent() == null ? new byte[0]
                                    : result.getResponseBodyContent(), StandardCharsets.UTF_8))
                            .isNotIn(401, 403).isLessThan(500);
                    if (rule(route) != Rule.PUBLIC) {
                        assertThat(serviceCalls()).as("service calls for %s", route).isNotEmpty()
                                .noneMatch(call -> call.getMethod().getName().equals("accessDenied"));
                    }
                })));
    }

    @Test
    void anOwnerTheLookupCannotFindIsLeftToTheServicesOwnNotFound() {
        given(refreshTokenOwners.ownerOf(any(), any())).willReturn(Mono.empty());
        services().forEach(Mockito::clearInvocations);

        http.delete().uri("/api/v1/refresh-tokens/unknown").header(HttpHeaders.AUTHORIZATION, "Bearer " + token(USER))
                .exchange()
                .expectStatus().value(status -> assertThat(status).isNotIn(401, 403));
        assertThat(serviceCalls()).extracting(call -> call.getMethod().getName()).containsExactly("revoke");
    }

    private EntityExchangeResult<byte[]> send(Route route, Who who) {
        services().forEach(Mockito::clearInvocations);
        // The record a DELETE /refresh-tokens/{id} names belongs to the SELF caller, whatever its id.
        given(refreshTokenOwners.ownerOf(any(), eq(RECORD_ID))).willReturn(Mono.just(USER_ID));
        Map<String, String> query = new LinkedHashMap<>(route.requiredQueryValues());
        if (who.tenant() != null) {
            query.put("tenant", who.tenant());
        }
        WebTestClient.RequestBodySpec request = http.method(route.method())
                .uri(URI.create("http://localhost:" + port
                        + route.concretePath(rule(route) == Rule.OWNER_OR_ADMIN ? RECORD_ID : USER_ID) + encode(query)));
        if (who.subject() != null) {
            request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token(who));
        }
        WebTestClient.RequestHeadersSpec<?> ready = route.bodyType() == null ? request
                : request.contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(HostileInputTest.VALID_BODIES.get(route.bodyType().getSimpleName()));
        return ready.exchange().expectBody().returnResult();
    }

    private String token(Who who) {
        return tokens.computeIfAbsent(who.withoutTenant(), caller -> DevTokens.mint(http, caller.subject(), "acme",
                caller.roles(), caller.scopes().toArray(String[]::new)));
    }

    private List<Route> routes() {
        return HostileInputTest.routes(mappings);
    }

    private static Rule rule(Route route) {
        Rule rule = RULES.get(route.toString());
        assertThat(rule).as("the rule of %s in the specification", route).isNotNull();
        return rule;
    }

    /** Every call the feature services (mocks) received since the request was sent. */
    private List<Invocation> serviceCalls() {
        List<Invocation> calls = new ArrayList<>();
        services().forEach(mock -> calls.addAll(Mockito.mockingDetails(mock).getInvocations()));
        return calls;
    }

    private List<Object> services() {
        return context.getBeansWithAnnotation(Service.class).values().stream()
                .filter(bean -> Mockito.mockingDetails(bean).isMock()).toList();
    }

    private static String encode(Map<String, String> query) {
        StringBuilder out = new StringBuilder();
        query.forEach((name, value) -> out.append(out.isEmpty() ? '?' : '&').append(name).append('=')
                .append(UriUtils.encode(value, StandardCharsets.UTF_8)));
        return out.toString();
    }

    private static Who allBut(String scope) {
        return new Who("every role and scope but " + scope, "u-2", EVERY_ROLE, without(EVERY_SCOPE, scope), null);
    }

    private static List<String> without(List<String> scopes, String scope) {
        return scopes.stream().filter(other -> !other.equals(scope)).toList();
    }

    /** A kind of caller: the token it presents (none without a subject) and the tenant it names, if any. */
    record Who(String description, String subject, List<String> roles, List<String> scopes, String tenant) {

        Who naming(String otherTenant) {
            return new Who(description + " naming ?tenant=" + otherTenant, subject, roles, scopes, otherTenant);
        }

        Who withoutTenant() {
            return new Who("", subject, roles, scopes, null);
        }
    }
}
