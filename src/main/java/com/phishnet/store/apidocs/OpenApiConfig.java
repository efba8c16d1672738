package com.phishnet.store.apidocs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.phishnet.store.apikeys.ApiKeyScope;
import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.Requires;
import com.phishnet.store.platform.web.SuccessStatus;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.method.HandlerMethod;

/**
 * The OpenAPI 3.1 document of every API route ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}):
 * the security schemes, each operation's {@link Requires} rule in its description, its feature's tag, its summary
 * (the handler's {@code @Operation}), the success status its handler answers ({@link SuccessStatus}), the
 * problem-detail responses it can give, and an example of each request body. Who may read the document: SecurityConfig (open in the
 * {@code local} profile, ADMIN or the operator scope elsewhere).
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfig {

    static final String BEARER = "bearerAuth";
    static final String API_KEY = "apiKey";
    static final String API_KEY_HEADER = "X-API-Key";
    static final String PROBLEM = "Problem";
    static final String PROBLEM_JSON = "application/problem+json";
    /** The rule of an operation, for tools reading the document. */
    static final String RULE_EXTENSION = "x-phishnet-rule";

    static {
        // The caller is built from the token by CallerArgumentResolver: it is not a request parameter.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    @Bean
    OpenAPI phishnetOpenApi() {
        return new OpenAPI()
                .info(new Info().title("PhishNet Store API").version("v1")
                        .description("Reactive persistence service of the PhishNet email-threat scanner. Every error"
                                + " is an RFC 9457 problem detail (application/problem+json). Each operation's"
                                + " description names the rule its callers must pass."))
                .components(new Components()
                        .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .bearerFormat("JWT")
                                .description("A JWT from the identity provider (in the local profile: POST"
                                        + " /api/v1/dev/tokens), with the claims tenant, roles and scope."))
                        .addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.HEADER).name(API_KEY_HEADER)
                                .description("An API key for machine clients (pnk_<prefix>_<secret>), created by a"
                                        + " tenant ADMIN with POST /api/v1/api-keys and shown once. It acts for its"
                                        + " tenant with its scopes only, never a role: scans:write; reputation:write"
                                        + " and credentials:read-secret only if its creator's token carried that scope;"
                                        + " service:operator never. Send it instead of, never together with, a bearer"
                                        + " token (both: 401). A revoked or expired key is refused on the next request.")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER))
                .addSecurityItem(new SecurityRequirement().addList(API_KEY));
    }

    /** The rule, its meaning, the example body and the security of each operation, from its handler. */
    @Bean
    OperationCustomizer requiresRuleAndExamples() {
        return (operation, handler) -> {
            Requires requires = handler.getMethodAnnotation(Requires.class);
            if (requires != null) {
                Rule rule = requires.value();
                String access = "**Access:** `" + rule + "` — " + meaning(rule);
                operation.setDescription(operation.getDescription() == null ? access
                        : operation.getDescription() + "\n\n" + access);
                operation.addExtension(RULE_EXTENSION, rule.name());
                if (rule == Rule.PUBLIC) {
                    operation.setSecurity(List.of());
                }
                else if (!anApiKeyCanPass(rule)) {
                    // A key would always get a 403 here: offer the bearer token only.
                    operation.setSecurity(List.of(new SecurityRequirement().addList(BEARER)));
                }
            }
            addExample(operation, handler);
            return operation;
        };
    }

    /**
     * Whether a caller authenticated by an API key can pass the rule: the widest key, every grantable scope and no
     * role. Rules about a user the route acts on, or about another tenant, need a role or a user no key has.
     */
    static boolean anApiKeyCanPass(Rule rule) {
        if (rule.actsOnAUser() || rule == Rule.ADMIN_AND_OPERATOR_FOR_ANOTHER_TENANT) {
            return false;
        }
        Set<String> scopes = Arrays.stream(ApiKeyScope.values()).map(scope -> scope.scope().value())
                .collect(Collectors.toSet());
        return rule.admits(new Caller("api-key:widest", "tenant", Set.of(), scopes, null, null, null));
    }

    /**
     * Each operation's success response with the status its handler answers ({@link SuccessStatus}: springdoc reads
     * 200 from a {@code ResponseEntity} return type), keeping the body's schema; a binary body with its media type.
     */
    @Bean
    OperationCustomizer successStatuses() {
        return (operation, handler) -> {
            SuccessStatus success = handler.getMethodAnnotation(SuccessStatus.class);
            if (success != null) {
                operation.setResponses(successResponses(operation.getResponses(), success));
            }
            return operation;
        };
    }

    static ApiResponses successResponses(ApiResponses generated, SuccessStatus success) {
        ApiResponses given = generated == null ? new ApiResponses() : generated;
        ApiResponse ok = given.get("200");
        Content body = ok == null ? null : ok.getContent();
        if (!success.binary().isEmpty()) {
            body = new Content().addMediaType(success.binary(),
                    new MediaType().schema(new StringSchema().format("binary")));
        }
        HttpStatus status = success.value();
        ApiResponses responses = new ApiResponses();
        ApiResponse main = new ApiResponse().description(status.getReasonPhrase())
                .content(status == HttpStatus.NO_CONTENT ? null : body);
        if (success.location()) {
            main.addHeaderObject("Location", new Header().description(status == HttpStatus.ACCEPTED
                    ? "The job or run to follow." : "The new record.")
                    .schema(new StringSchema().format("uri-reference")));
        }
        responses.addApiResponse(String.valueOf(status.value()), main);
        if (!success.alsoOk().isEmpty() && status != HttpStatus.OK) {
            responses.addApiResponse("200", new ApiResponse().description(success.alsoOk()).content(body));
        }
        if (success.ranges()) {
            responses.addApiResponse("206", new ApiResponse().description("The part a Range request asked for"
                    + " (Content-Range says which).").content(body));
        }
        given.forEach((code, response) -> {
            if (!code.equals("200") || status == HttpStatus.OK) {
                responses.putIfAbsent(code, response);
            }
        });
        return responses;
    }

    /** Each operation's tag: the feature (package) its controller belongs to. */
    @Bean
    OperationCustomizer featureTags() {
        return (operation, handler) -> {
            operation.setTags(new ArrayList<>(List.of(feature(handler.getBeanType()))));
            return operation;
        };
    }

    /** The tags, in the order a reader meets the features, with what each holds. */
    @Bean
    OpenApiCustomizer tagDescriptions() {
        return openApi -> {
            List<Tag> tags = new ArrayList<>();
            FEATURES.forEach((name, description) -> tags.add(new Tag().name(name).description(description)));
            openApi.setTags(tags);
        };
    }

    /** The feature of a controller: the package under the application's, or {@code dev} for the platform's. */
    static String feature(Class<?> controller) {
        String root = OpenApiConfig.class.getPackageName().substring(0,
                OpenApiConfig.class.getPackageName().lastIndexOf('.') + 1);
        String name = controller.getPackageName();
        String feature = name.startsWith(root) ? name.substring(root.length()).split("\\.")[0] : name;
        return "platform".equals(feature) ? "dev" : feature;
    }

    /** Every feature with routes, and what its operations do; ApiDocumentTest checks each tag is here. */
    static final Map<String, String> FEATURES = orderedFeatures();

    private static Map<String, String> orderedFeatures() {
        Map<String, String> features = new LinkedHashMap<>();
        features.put("users", "User accounts of a tenant: creation, profile, roles, deactivation.");
        features.put("credentials",
                "A user's mail credentials, lookup by account address, and re-sealing them under a new key.");
        features.put("tokens", "Refresh tokens: issue, rotate, revoke.");
        features.put("apikeys", "API keys for machine clients of a tenant: create (shown once), list, rotate, revoke.");
        features.put("scans", "Scan results, the emails they cover and analysts' feedback on them.");
        features.put("reputation",
                "Verdicts on senders, domains, URLs and IPs: the tenant's overrides and the global ones.");
        features.put("analytics", "Verdict counts, daily series, feedback agreement and service metrics.");
        features.put("audit", "The tamper-evident audit log and its chain verification.");
        features.put("streams", "Server-sent event streams of committed changes, and tickets for them.");
        features.put("jobs", "Long-running jobs (key rotations, backups, restores): list, follow, cancel.");
        features.put("backup", "Backups of the service database: start, download, verify, restore, delete.");
        features.put("retention", "Retention policies and runs, and legal holds that stop them.");
        features.put("erasure", "GDPR erasure of a user's personal data.");
        features.put("dev", "Local profile only: tokens for trying the API.");
        return features;
    }

    /** The problem-detail responses each operation can give, added where the operation does not name them. */
    @Bean
    OpenApiCustomizer problemResponses() {
        return openApi -> {
            // Added after the schemas are generated from the handlers' types, which replace the components' schemas.
            openApi.getComponents().addSchemas(PROBLEM, problemSchema());
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap()
                    .forEach((method, operation) -> addProblems(path, method, operation)));
        };
    }

    static void addProblems(String path, PathItem.HttpMethod method, Operation operation) {
        Object rule = operation.getExtensions() == null ? null : operation.getExtensions().get(RULE_EXTENSION);
        boolean open = Rule.PUBLIC.name().equals(rule);
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        ApiResponses responses = operation.getResponses();
        problem(responses, "400", "Malformed request or invalid fields (validation problems list them in errors).");
        if (!open) {
            problem(responses, "401", "No valid bearer token or API key (or both were sent).");
        }
        if (!open && !Rule.MEMBER.name().equals(rule)) {
            problem(responses, "403", "The caller does not pass the route's rule (audited as ACCESS_DENIED).");
        }
        if (path.contains("{")) {
            problem(responses, "404", "No such record in the caller's tenant.");
        }
        if (method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PUT
                || method == PathItem.HttpMethod.PATCH || method == PathItem.HttpMethod.DELETE) {
            problem(responses, "409", "Conflicts with the current state (a duplicate, a legal hold, a running job).");
        }
        problem(responses, "429", "The route group's rate limit is reached; Retry-After says when to retry.");
    }

    private static void problem(ApiResponses responses, String status, String description) {
        if (!responses.containsKey(status)) {
            responses.addApiResponse(status, new ApiResponse().description(description)
                    .content(new Content().addMediaType(PROBLEM_JSON,
                            new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)))));
        }
    }

    private static void addExample(Operation operation, HandlerMethod handler) {
        if (operation.getRequestBody() == null || operation.getRequestBody().getContent() == null) {
            return;
        }
        // A body the handler reads itself (bulk ingestion, JSON and NDJSON) is declared in its @Operation, one schema
        // per media type: each gets the example of its schema.
        operation.getRequestBody().getContent().values().forEach(media -> {
            String ref = media.getSchema() == null ? null : media.getSchema().get$ref();
            String json = ref == null ? null : RequestExamples.BY_TYPE.get(ref.substring(ref.lastIndexOf('/') + 1));
            if (json != null) {
                media.setExample(parse(json));
            }
        });
        for (MethodParameter parameter : handler.getMethodParameters()) {
            if (!parameter.hasParameterAnnotation(RequestBody.class)) {
                continue;
            }
            String json = RequestExamples.BY_TYPE.get(parameter.getParameterType().getSimpleName());
            if (json != null) {
                Object example = parse(json);
                operation.getRequestBody().getContent().values().forEach(media -> media.setExample(example));
            }
        }
    }

    private static Object parse(String json) {
        try {
            // The document is written by swagger-core's own (Jackson 2) mapper: a parsed tree serializes as JSON.
            return Json31.mapper().readTree(json);
        }
        catch (JsonProcessingException invalid) {
            throw new IllegalStateException("An example body is not JSON: " + json, invalid);
        }
    }

    static String meaning(Rule rule) {
        return switch (rule) {
            case PUBLIC -> "no token needed.";
            case MEMBER -> "any authenticated caller; what it sees is scoped to its tenant (a USER's to its own records).";
            case ANALYST_OR_ADMIN -> "role ANALYST or ADMIN.";
            case ADMIN -> "role ADMIN.";
            case SELF_OR_ADMIN -> "the user the path's {id} names, or role ADMIN.";
            case SELF_OR_ANALYST_OR_ADMIN -> "the user the path's {id} names, or role ANALYST or ADMIN.";
            case OWNER_OR_ADMIN -> "the user who owns the record the path's {id} names, or role ADMIN.";
            case OPERATOR -> "scope service:operator.";
            case SCAN_WRITER -> "scope scans:write, or role ADMIN.";
            case REPUTATION_FEED -> "scope reputation:write.";
            case SECRET_READER -> "scope credentials:read-secret; no role is enough.";
            case ADMIN_OR_OPERATOR -> "role ADMIN (its tenant's part) or scope service:operator (service-wide).";
            case ADMIN_AND_OPERATOR_FOR_ANOTHER_TENANT -> "role ADMIN; naming another tenant (?tenant=) also needs"
                    + " scope service:operator.";
        };
    }

    /** RFC 9457 with this service's members: requestId, and errors for validation problems. */
    private static Schema<?> problemSchema() {
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put("type", new StringSchema().format("uri").example("urn:phishnet:problem:validation")
                .description("A stable URI per kind of error (urn:phishnet:problem:...)."));
        properties.put("title", new StringSchema().example("Request validation failed"));
        properties.put("status", new IntegerSchema().example(400));
        properties.put("detail", new StringSchema().example("1 field is invalid."));
        properties.put("instance", new StringSchema().format("uri-reference").example("/api/v1/users"));
        properties.put("requestId", new StringSchema().description("Also in the X-Request-Id response header."));
        Map<String, Schema> fieldError = new LinkedHashMap<>();
        fieldError.put("field", new StringSchema().example("email"));
        fieldError.put("message", new StringSchema().example("must be a well-formed email address"));
        properties.put("errors", new ArraySchema().items(new ObjectSchema().properties(fieldError))
                .description("Validation problems only: one entry per invalid field."));
        Schema<?> problem = new ObjectSchema().properties(properties).description("RFC 9457 problem detail.");
        problem.setRequired(new ArrayList<>(List.of("type", "title", "status")));
        return problem;
    }
}
