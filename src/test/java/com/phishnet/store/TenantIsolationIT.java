package com.phishnet.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.mongodb.reactivestreams.client.MongoClient;
import com.phishnet.store.jobs.JobScope;
import com.phishnet.store.jobs.JobType;
import com.phishnet.store.HostileInputTest.Route;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.security.Access.Target;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.Requires;
import com.phishnet.store.support.AppOnRealMongo;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.RealMongo;
import com.phishnet.store.support.RequiresRealMongo;
import org.assertj.core.api.SoftAssertions;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.UriUtils;

/**
 * Another tenant's ids on every id-bearing route, on the real server: tenant A creates a user with a credential,
 * a refresh token, a scan and feedback; tenant B, with every role and tenant scope, then calls every mapped route
 * that takes an id with A's ids (GET, PATCH, PUT, POST, DELETE, with valid bodies). Then a USER of tenant B whose
 * subject is A's user id calls every route whose rule is about a user (self or owner): those rules compare only
 * the subject, so they admit it. Nothing may succeed. Wherever the route's rule admits the caller the answer must
 * be 404, which only the query's tenant filter can give (403 only where the rule refuses the caller, as it would in
 * its own tenant), and A's documents are byte for byte what they were. A new id route is walked without anyone
 * adding it here; one whose ids this test cannot name fails loudly.
 */
@RequiresRealMongo
@ActiveProfiles("local")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "phishnet.rate-limit.enabled=false")
@AutoConfigureWebTestClient
class TenantIsolationIT {

    private static final String DATABASE = RealMongo.newDatabaseName();
    private static final List<String> TENANT_COLLECTIONS = List.of("users", "oauth_credentials", "refresh_tokens",
            "emails_meta", "scan_results", "feedback", "audit_logs", "reputation_cache", "api_keys");

    @Autowired
    WebTestClient http;

    @Autowired
    MongoClient client;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        AppOnRealMongo.register(registry, DATABASE);
    }

    @AfterAll
    static void dropDatabase(@Autowired MongoClient client) {
        AppOnRealMongo.drop(client, DATABASE);
    }

    @Test
    void noRouteReachesAnotherTenantsRecordsWhateverIdItIsGiven() {
        String tenantA = "ta" + RealMongo.newDatabaseName().substring(3);
        Map<String, String> ids = recordsOf(tenantA);
        Map<String, List<String>> before = snapshot(tenantA);
        assertThat(TENANT_COLLECTIONS.stream().filter(collection -> !collection.equals("reputation_cache")))
                .as("tenant A has records to protect").allMatch(collection -> !before.get(collection).isEmpty());
        String tenantB = "tb" + tenantA.substring(2);
        Intruder intruder = intruder("tenant B with every role and tenant scope", "intruder-1", tenantB,
                EnumSet.allOf(Role.class), "credentials:read-secret", "scans:write", "reputation:write");
        Intruder namesake = intruder("tenant B's USER whose subject is A's user id", ids.get("user"), tenantB,
                EnumSet.of(Role.USER));

        SoftAssertions leaks = new SoftAssertions();
        List<String> walked = new ArrayList<>();
        List<String> walkedByTheNamesake = new ArrayList<>();
        for (Route route : HostileInputTest.routes(mappings)) {
            if (!route.pattern().contains("{") || route.pattern().startsWith("/api/v1/admin/key-rotations")
                    || route.pattern().startsWith("/api/v1/streams/jobs/")) {
                // Key-rotation jobs, the only jobs so far, are service jobs: operators only (TenantScopedRoutesTest,
                // KeyRotationJobsIT, JobChangesTest's follow table); tenants have no job ids to steal yet. The first
                // tenant job type fails this, so the job routes are walked from then on.
                leaks.assertThat(JobType.values()).as("job types (a tenant's job must be walked here)")
                        .allMatch(type -> type.scope() == JobScope.SERVICE);
                continue;
            }
            String path = route.pattern();
            for (Map.Entry<String, String> variable : variablesOf(route, ids).entrySet()) {
                path = path.replace("{" + variable.getKey() + "}",
                        UriUtils.encodePathSegment(variable.getValue(), StandardCharsets.UTF_8));
            }
            Rule rule = route.handler().getMethodAnnotation(Requires.class).value();
            walk(leaks, route, path, rule, intruder, ids);
            walked.add(route.toString());
            if (rule.actsOnAUser()) {
                walk(leaks, route, path, rule, namesake, ids);
                walkedByTheNamesake.add(route.toString());
            }
        }
        idsInBodiesAndQueries(leaks, ids, intruder.token());

        leaks.assertThat(walked).as("the id routes walked").hasSizeGreaterThan(10);
        leaks.assertThat(walkedByTheNamesake).as("the self and owner routes walked by %s", namesake.description())
                .hasSizeGreaterThan(5);
        leaks.assertThat(snapshot(tenantA)).as("tenant A's documents").isEqualTo(before);
        leaks.assertAll();
    }

    /**
     * Calls the route as the intruder, expecting 404 wherever the route's rule admits it: then only the query's
     * tenant filter can refuse. Every record of A belongs to A's user, so that user is the one a self rule's
     * {@code {id}} names and the owner an owner rule looks up.
     */
    private void walk(SoftAssertions leaks, Route route, String path, Rule rule, Intruder intruder, Map<String, String> ids) {
        String refusal = rule.refusal(intruder.caller(), new Target(ids.get("user"), List.of()));
        EntityExchangeResult<byte[]> result = send(route, path + route.requiredQuery(), intruder.token());
        leaks.assertThat(result.getStatus().value()).as("%s as %s (%s %s) with tenant A's ids answered %s: %s", route,
                        intruder.description(), rule, refusal == null ? "admits it" : "refuses it", result.getStatus(),
                        result.getResponseBody() == null ? "" : new String(result.getResponseBody()))
                .isEqualTo(refusal == null ? 404 : 403);
    }

    /** A caller of tenant B: its bearer token, and the caller the route rules see in it. */
    private record Intruder(String description, String token, Caller caller) {
    }

    private Intruder intruder(String description, String subject, String tenant, Set<Role> roles, String... scopes) {
        String token = DevTokens.mint(http, subject, tenant, roles.stream().map(Role::name).toList(), scopes);
        return new Intruder(description, token, new Caller(subject, tenant, roles, Set.of(scopes), "", "", ""));
    }

    /** Ids that travel in a body or a query string rather than the path. */
    private void idsInBodiesAndQueries(SoftAssertions leaks, Map<String, String> ids, String intruder) {
        // A refresh token is looked up by its hash across tenants; only the tenant check stops the exchange.
        leaks.assertThat(http.post().uri("/api/v1/refresh-tokens/rotate").header(HttpHeaders.AUTHORIZATION, "Bearer " + intruder)
                        .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("token", ids.get("refreshTokenSecret")))
                        .exchange().expectBody().returnResult().getStatus().value())
                .as("rotating tenant A's refresh token as tenant B").isEqualTo(400);
        leaks.assertThat(http.post().uri("/api/v1/scans").header(HttpHeaders.AUTHORIZATION, "Bearer " + intruder)
                        .contentType(MediaType.APPLICATION_JSON).bodyValue(scanOf(ids.get("user"), "<b1@example.com>"))
                        .exchange().expectBody().returnResult().getStatus().value())
                .as("ingesting a scan for tenant A's user as tenant B").isEqualTo(404);
        for (String query : List.of("/api/v1/scans?userId=" + ids.get("user"),
                "/api/v1/emails?sender=eve@evil.example")) {
            leaks.assertThat(http.get().uri(query).header(HttpHeaders.AUTHORIZATION, "Bearer " + intruder).exchange()
                            .expectBody(Map.class).returnResult().getResponseBody().get("total"))
                    .as("%s as tenant B", query).isEqualTo(0);
        }
        leaks.assertThat(http.get().uri("/api/v1/credentials?account=ann@example.com")
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + intruder).exchange()
                        .expectBody(List.class).returnResult().getResponseBody())
                .as("credentials found by tenant A's account address as tenant B").isEmpty();
    }

    /** Which of A's ids each path variable takes, decided by the resource the variable names. */
    private static Map<String, String> variablesOf(Route route, Map<String, String> ids) {
        Map<String, String> values = new TreeMap<>();
        java.util.regex.Matcher variable = java.util.regex.Pattern.compile("/([a-z-]+)/\\{([A-Za-z]+)}")
                .matcher(route.pattern());
        while (variable.find()) {
            String resource = variable.group(1) + "/" + variable.group(2);
            String id = switch (resource) {
                case "users/id" -> ids.get("user");
                case "credentials/credentialId" -> ids.get("credential");
                case "refresh-tokens/id" -> ids.get("refreshToken");
                case "families/familyId" -> ids.get("family");
                case "scans/id" -> ids.get("scan");
                case "api-keys/id" -> ids.get("apiKey");
                default -> throw new AssertionError("tenant A has no id for " + resource + " of " + route
                        + ": teach TenantIsolationIT which record it names");
            };
            values.put(variable.group(2), id);
        }
        return values;
    }

    private EntityExchangeResult<byte[]> send(Route route, String path, String token) {
        WebTestClient.RequestBodySpec request = http.method(route.method()).uri(URI.create("http://localhost:" + port + path))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        String body = route.bodyType() == null ? null : HostileInputTest.VALID_BODIES.get(route.bodyType().getSimpleName());
        return (body == null ? request : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body))
                .exchange().expectBody().returnResult();
    }

    /** Tenant A's records, created through the API; their ids by kind. */
    @SuppressWarnings("unchecked")
    private Map<String, String> recordsOf(String tenant) {
        String admin = DevTokens.mint(http, "admin-a", tenant, List.of("ADMIN", "ANALYST"), "scans:write");
        Map<String, Object> created = post(admin, "/api/v1/users", Map.of("email", "ann@example.com", "role", "USER",
                "credentials", List.of(Map.of("provider", "GOOGLE", "accountEmail", "ann@example.com",
                        "accessToken", "ya29.tenant-a"))));
        String userId = ((Map<String, Object>) created.get("user")).get("id").toString();
        String credentialId = ((List<Map<String, Object>>) created.get("credentials")).get(0).get("id").toString();
        Map<String, Object> token = post(admin, "/api/v1/users/" + userId + "/refresh-tokens", Map.of());
        Map<String, Object> scan = post(admin, "/api/v1/scans", scanOf(userId, "<a1@example.com>"));
        post(admin, "/api/v1/scans/" + scan.get("id") + "/feedback", Map.of("verdict", "CLEAN"));
        Map<String, Object> apiKey = post(admin, "/api/v1/api-keys", Map.of("name", "scanner a",
                "scopes", List.of("scans:write")));
        return Map.of("user", userId, "credential", credentialId, "refreshToken", token.get("id").toString(),
                "refreshTokenSecret", token.get("token").toString(), "family", token.get("familyId").toString(),
                "scan", scan.get("id").toString(), "apiKey", apiKey.get("id").toString());
    }

    private static Map<String, Object> scanOf(String userId, String messageId) {
        return Map.of("userId", userId,
                "email", Map.of("messageId", messageId, "sender", "eve@evil.example",
                        "recipients", List.of("ann@example.com"), "receivedAt", Instant.now().minusSeconds(60).toString(),
                        "sizeBytes", 100),
                "result", Map.of("verdict", "MALICIOUS", "score", 0.9, "modelVersion", "m-1",
                        "scannedAt", Instant.now().minusSeconds(30).toString()));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> post(String token, String path, Map<String, Object> body) {
        return http.post().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().is2xxSuccessful()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    /** Every document of the tenant, as stored, per collection. */
    private Map<String, List<String>> snapshot(String tenant) {
        Map<String, List<String>> documents = new TreeMap<>();
        for (String collection : TENANT_COLLECTIONS) {
            documents.put(collection, Flux.from(client.getDatabase(DATABASE).getCollection(collection)
                            .find(new Document("tenantId", tenant)).sort(new Document("_id", 1)))
                    .map(Document::toJson).collectList().block());
        }
        documents.put("tenant_stats", Flux.from(client.getDatabase(DATABASE).getCollection("tenant_stats")
                .find(new Document("_id", tenant))).map(Document::toJson).collectList().block());
        return documents;
    }
}
