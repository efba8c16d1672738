package com.phishnet.store.apidocs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.security.ApiDocsHandlers;
import com.phishnet.store.platform.security.Requires;
import com.phishnet.store.platform.web.SuccessStatus;
import io.swagger.v3.oas.annotations.Operation;
import com.phishnet.store.support.OfflineApplicationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

/**
 * The OpenAPI document against the running application: every route the handler mappings hold is documented, and
 * every documented route exists (routes added later are checked without changing this test); with its rule, its
 * problem responses and its example body. Local profile: the document is open.
 */
@OfflineApplicationTest
@TestPropertySource(properties = "phishnet.rate-limit.enabled=false")
class ApiDocumentTest {

    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options",
            "trace");

    private static Map<String, Object> document;

    @Autowired
    WebTestClient http;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedRouteExists() {
        assertThat(documentedRoutes().keySet()).isNotEmpty().isEqualTo(routes().keySet());
    }

    @Test
    void theDocumentIsOpenApi31() {
        assertThat(document().get("openapi").toString()).startsWith("3.1.");
    }

    @Test
    void theDocumentDeclaresBearerJwtAndApiKeySchemes() {
        Map<String, Map<String, Object>> schemes = map(map(document().get("components")).get("securitySchemes"));

        assertThat(schemes.get("bearerAuth")).containsEntry("type", "http").containsEntry("scheme", "bearer")
                .containsEntry("bearerFormat", "JWT");
        assertThat(schemes.get("apiKey")).containsEntry("type", "apiKey").containsEntry("in", "header")
                .containsEntry("name", "X-API-Key");
        // The document states the scope rule of API keys.
        assertThat(schemes.get("apiKey").get("description").toString()).doesNotContain("not accepted")
                .contains("service:operator never").contains("reputation:write");
    }

    @Test
    void everyOperationNamesTheRuleItsHandlerDeclares() {
        Map<String, Map<String, Object>> documented = documentedRoutes();
        Map<String, String> expected = new TreeMap<>();
        Map<String, String> actual = new TreeMap<>();
        routes().forEach((route, handler) -> {
            String rule = handler.getMethodAnnotation(Requires.class).value().name();
            expected.put(route, rule);
            Map<String, Object> operation = documented.get(route);
            actual.put(route, operation == null ? null : String.valueOf(operation.get("x-phishnet-rule")));
            if (operation != null) {
                assertThat(operation.get("description").toString()).as("the description of %s", route)
                        .contains("`" + rule + "`");
            }
        });

        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void everyProtectedOperationAnswersProblemDetailsFor401And429() {
        documentedRoutes().forEach((route, operation) -> {
            Map<String, Map<String, Object>> responses = map(operation.get("responses"));
            List<String> statuses = "PUBLIC".equals(operation.get("x-phishnet-rule")) ? List.of("400", "429")
                    : List.of("400", "401", "429");
            for (String status : statuses) {
                assertThat(responses).as("responses of %s", route).containsKey(status);
                assertThat(map(responses.get(status).get("content"))).as("%s %s", route, status)
                        .containsKey("application/problem+json");
            }
        });
    }

    @Test
    void publicOperationsNeedNoTokenAndTheOthersABearerTokenOrAnApiKey() {
        Map<String, Object> document = document();
        // Alternatives: either scheme authenticates (never both in one request).
        assertThat(document.get("security")).isEqualTo(List.of(Map.of("bearerAuth", List.of()),
                Map.of("apiKey", List.of())));
        assertThat(documentedRoutes().get("POST /api/v1/dev/tokens")).containsEntry("security", List.of());
    }

    @Test
    void routesNoApiKeyCanPassOfferTheBearerTokenOnly() {
        List<Map<String, List<Object>>> bearerOnly = List.of(Map.of("bearerAuth", List.of()));
        Map<String, Map<String, Object>> documented = documentedRoutes();

        // ADMIN, a user's own records, another tenant: a key has no role and is no user.
        assertThat(documented.get("POST /api/v1/api-keys")).containsEntry("security", bearerOnly);
        assertThat(documented.get("GET /api/v1/users/{id}")).containsEntry("security", bearerOnly);
        // Scopes a key can carry: the document-wide alternatives apply.
        assertThat(documented.get("POST /api/v1/scans")).doesNotContainKey("security");
        assertThat(documented.get("POST /api/v1/scans:batch")).doesNotContainKey("security");
        routes().forEach((route, handler) -> {
            Rule rule = handler.getMethodAnnotation(Requires.class).value();
            if (rule != Rule.PUBLIC) {
                assertThat(documented.get(route).get("security")).as("%s (%s)", route, rule)
                        .isEqualTo(OpenApiConfig.anApiKeyCanPass(rule) ? null : bearerOnly);
            }
        });
    }

    @Test
    void theProblemSchemaHasTheServicesMembers() {
        Map<String, Object> problem = map(map(map(document().get("components")).get("schemas")).get("Problem"));

        assertThat(map(problem.get("properties"))).containsKeys("type", "title", "status", "detail", "instance",
                "requestId", "errors");
    }

    @Test
    void everyRequestBodyHasAnExample() {
        Set<String> bodyTypes = new TreeSet<>();
        routes().values().forEach(handler -> {
            for (MethodParameter parameter : handler.getMethodParameters()) {
                if (parameter.hasParameterAnnotation(RequestBody.class)) {
                    bodyTypes.add(parameter.getParameterType().getSimpleName());
                }
            }
        });
        assertThat(RequestExamples.BY_TYPE).containsKeys(bodyTypes.toArray(String[]::new));

        documentedRoutes().forEach((route, operation) -> {
            if (operation.get("requestBody") != null) {
                Map<String, Map<String, Object>> content = map(map(operation.get("requestBody")).get("content"));
                content.forEach((type, media) -> assertThat(media.get("example")).as("example of %s (%s)", route, type)
                        .isInstanceOf(Map.class));
            }
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyOperationHasItsFeaturesTagAndAShortSummaryFromItsHandler() {
        Map<String, Map<String, Object>> documented = documentedRoutes();
        List<Object> declaredTags = ((List<Map<String, Object>>) (List<?>) document().get("tags")).stream()
                .map(tag -> tag.get("name")).toList();
        routes().forEach((route, handler) -> {
            Map<String, Object> operation = documented.get(route);
            // The feature is the controller's package under the application's (the platform's dev tokens: dev).
            String feature = handler.getBeanType().getPackageName().replace("com.phishnet.store.", "").split("\\.")[0];
            assertThat(operation.get("tags")).as("tags of %s", route)
                    .isEqualTo(List.of("platform".equals(feature) ? "dev" : feature));
            Operation annotation = handler.getMethodAnnotation(Operation.class);
            assertThat(annotation).as("@Operation on the handler of %s", route).isNotNull();
            assertThat(operation.get("summary")).as("summary of %s", route).isEqualTo(annotation.summary());
            assertThat(annotation.summary()).as("summary of %s", route).isNotBlank().hasSizeLessThanOrEqualTo(50)
                    .doesNotContain("\n").doesNotEndWith(".");
        });
        documented.forEach((route, operation) -> assertThat(declaredTags).as("declared tags, for %s", route)
                .containsAll((List<Object>) operation.get("tags")));
        assertThat(declaredTags).doesNotHaveDuplicates();
    }

    /**
     * The success statuses the document gives are the handler's: its {@link SuccessStatus} (a ResponseEntity's status,
     * which springdoc cannot see), else its {@link ResponseStatus}, else 200; 200 besides only where the handler says
     * it also answers 200 (a replay, a dry run), 206 only for a ranged download.
     */
    @Test
    void everyOperationDocumentsTheSuccessStatusesItsHandlerDeclares() {
        Map<String, Map<String, Object>> documented = documentedRoutes();
        Map<String, Set<String>> expected = new TreeMap<>();
        Map<String, Set<String>> actual = new TreeMap<>();
        routes().forEach((route, handler) -> {
            Set<String> statuses = new TreeSet<>();
            SuccessStatus success = handler.getMethodAnnotation(SuccessStatus.class);
            ResponseStatus responseStatus = handler.getMethodAnnotation(ResponseStatus.class);
            if (success != null) {
                statuses.add(String.valueOf(success.value().value()));
                if (!success.alsoOk().isEmpty()) {
                    statuses.add("200");
                }
                if (success.ranges()) {
                    statuses.add("206");
                }
            }
            else {
                statuses.add(responseStatus == null ? "200" : String.valueOf(responseStatus.code().value()));
            }
            expected.put(route, statuses);
            Set<String> documentedStatuses = new TreeSet<>(map(documented.get(route).get("responses")).keySet());
            documentedStatuses.removeIf(status -> !status.startsWith("2"));
            actual.put(route, documentedStatuses);
        });

        assertThat(actual).isEqualTo(expected);
    }

    /** What the handler tests show these routes answer (UserControllerTest, BackupControllerTest, ...). */
    @Test
    void representativeRoutesDocumentTheStatusTheirHandlerTestsShow() {
        Map<String, Map<String, Object>> documented = documentedRoutes();
        Map<String, Map<String, Object>> createUser = map(documented.get("POST /api/v1/users").get("responses"));
        assertThat(createUser).containsKeys("201", "200");
        assertThat(schemaRef(createUser.get("201"))).endsWith("/CreatedUser");
        assertThat(schemaRef(createUser.get("200"))).endsWith("/CreatedUser");
        assertThat(map(createUser.get("201").get("headers"))).containsKey("Location");

        assertThat(successStatuses(documented, "POST /api/v1/admin/backups")).containsExactly("202");
        assertThat(successStatuses(documented, "POST /api/v1/admin/key-rotations")).containsExactly("202");
        assertThat(successStatuses(documented, "POST /api/v1/admin/legal-holds")).containsExactly("201");
        assertThat(successStatuses(documented, "POST /api/v1/scans")).containsExactly("200", "201");
        assertThat(successStatuses(documented, "POST /api/v1/users/{id}/credentials")).containsExactly("201");
        assertThat(successStatuses(documented, "POST /api/v1/users/{id}/refresh-tokens")).containsExactly("201");
        assertThat(successStatuses(documented, "POST /api/v1/streams/tickets")).containsExactly("201");
        // A ticket is not a record with an address: no Location.
        Map<String, Map<String, Object>> ticket = map(documented.get("POST /api/v1/streams/tickets").get("responses"));
        assertThat(ticket.get("201")).doesNotContainKey("headers");
        assertThat(successStatuses(documented, "POST /api/v1/admin/retention/runs")).containsExactly("200", "202");
        assertThat(successStatuses(documented, "POST /api/v1/admin/backups/{id}/restore"))
                .containsExactly("200", "202");
        assertThat(successStatuses(documented, "DELETE /api/v1/users/{id}")).containsExactly("204");
        assertThat(successStatuses(documented, "DELETE /api/v1/admin/backups/{id}")).containsExactly("204");
        Map<String, Map<String, Object>> delete = map(documented.get("DELETE /api/v1/admin/backups/{id}")
                .get("responses"));
        assertThat(delete.get("204")).doesNotContainKey("content");
    }

    @Test
    void theBackupArchiveIsDocumentedAsATarByteStream() {
        Map<String, Map<String, Object>> responses = map(
                documentedRoutes().get("GET /api/v1/admin/backups/{id}/archive").get("responses"));
        for (String status : List.of("200", "206")) {
            Map<String, Map<String, Object>> content = map(responses.get(status).get("content"));
            assertThat(content).as("content of %s", status).containsOnlyKeys("application/x-tar");
            assertThat(map(content.get("application/x-tar").get("schema"))).containsEntry("format", "binary");
        }
    }

    @Test
    void theSwaggerUiIsServedInTheLocalProfile() {
        http.get().uri("/swagger-ui.html").exchange().expectStatus().is3xxRedirection();
        String page = http.get().uri("/swagger-ui/index.html").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(page).contains("swagger-ui");
        // The page's own script and the configuration it reads, which names the document.
        http.get().uri("/swagger-ui/swagger-initializer.js").exchange().expectStatus().isOk();
        http.get().uri("/v3/api-docs/swagger-config").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.url").isEqualTo("/v3/api-docs");
    }

    @Test
    void theUiPageMayLoadItsOwnScriptsAndStylesOnly() {
        http.get().uri("/swagger-ui/index.html").exchange()
                .expectHeader().value("Content-Security-Policy", csp -> assertThat(csp)
                        .contains("script-src 'self'").contains("frame-ancestors 'none'").doesNotContain("*"));
        http.get().uri("/api/v1/users").exchange()
                .expectHeader().valueEquals("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    }

    /**
     * "METHOD /path" of every handler method the application maps, except springdoc's own (the document and UI are
     * not API routes). Actuator endpoints have their own handler mapping and are not here.
     */
    private Map<String, HandlerMethod> routes() {
        Map<String, HandlerMethod> routes = new TreeMap<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mappings.getHandlerMethods().entrySet()) {
            if (ApiDocsHandlers.isApiDocs(entry.getValue())) {
                continue;
            }
            for (PathPattern pattern : entry.getKey().getPatternsCondition().getPatterns()) {
                for (var method : entry.getKey().getMethodsCondition().getMethods()) {
                    routes.put(method.name() + " " + pattern.getPatternString(), entry.getValue());
                }
            }
        }
        return routes;
    }

    /** "METHOD /path" of every operation in the document, with the operation. */
    private Map<String, Map<String, Object>> documentedRoutes() {
        Map<String, Map<String, Object>> routes = new TreeMap<>();
        Map<String, Map<String, Object>> paths = map(document().get("paths"));
        paths.forEach((path, item) -> item.forEach((method, operation) -> {
            if (HTTP_METHODS.contains(method)) {
                routes.put(method.toUpperCase(java.util.Locale.ROOT) + " " + path, map(operation));
            }
        }));
        return routes;
    }

    /**
     * The document, fetched once for the class: springdoc builds it on the first request, which on a busy machine can
     * take longer than the client's default timeout. A copy is left in target/api-docs.json for a reader.
     */
    private Map<String, Object> document() {
        if (document == null) {
            byte[] raw = http.mutate().responseTimeout(Duration.ofSeconds(60)).build()
                    .get().uri("/v3/api-docs").header(HttpHeaders.ACCEPT, "application/json").exchange()
                    .expectStatus().isOk()
                    .expectBody().returnResult().getResponseBodyContent();
            try {
                Files.write(Path.of("target/api-docs.json"), raw);
                document = JsonMapper.shared().readValue(raw, new TypeReference<Map<String, Object>>() {
                });
            }
            catch (IOException unwritable) {
                throw new UncheckedIOException(unwritable);
            }
        }
        return document;
    }

    private static Set<String> successStatuses(Map<String, Map<String, Object>> documented, String route) {
        assertThat(documented).containsKey(route);
        Set<String> statuses = new TreeSet<>(map(documented.get(route).get("responses")).keySet());
        statuses.removeIf(status -> !status.startsWith("2"));
        return statuses;
    }

    /** The schema reference of a response's JSON body. */
    private static String schemaRef(Map<String, Object> response) {
        Map<String, Map<String, Object>> content = map(response.get("content"));
        Map<String, Object> media = content.values().iterator().next();
        return String.valueOf(map(media.get("schema")).get("$ref"));
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, V>) value;
    }
}
