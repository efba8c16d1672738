package com.phishnet.store.platform.security;

import org.springframework.web.method.HandlerMethod;

/**
 * The handlers springdoc maps for the OpenAPI document and Swagger UI ({@code /v3/api-docs}, {@code /swagger-ui}).
 * They are not API routes: they take no {@link Requires} rule (SecurityConfig guards their paths instead), are not
 * rate-limit groups of the API, and are not in the document they serve.
 */
public final class ApiDocsHandlers {

    /** The document's paths and the UI's, as SecurityConfig guards them. */
    public static final String[] PATHS = {"/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml", "/swagger-ui.html",
            "/swagger-ui/**", "/webjars/swagger-ui/**"};

    private static final String SPRINGDOC_PACKAGE = "org.springdoc.";

    private ApiDocsHandlers() {
    }

    /** Whether springdoc maps this handler; named by package, so no other library's handler slips past the rules. */
    public static boolean isApiDocs(HandlerMethod handler) {
        return handler.getBeanType().getName().startsWith(SPRINGDOC_PACKAGE);
    }
}
