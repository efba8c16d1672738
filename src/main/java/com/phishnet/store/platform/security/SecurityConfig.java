package com.phishnet.store.platform.security;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import com.phishnet.store.platform.crypto.CryptoProperties;
import com.phishnet.store.platform.crypto.LocalDevSecrets;
import com.phishnet.store.platform.crypto.SecretsMissingException;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Access.Scope;
import com.phishnet.store.platform.web.InputBounds;
import com.phishnet.store.platform.web.ProblemDetailsHandler;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UserDetailsRepositoryReactiveAuthenticationManager;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;
import reactor.core.publisher.Mono;

/**
 * Stateless bearer-JWT security: every API route needs a valid token carrying a tenant, and what its caller may
 * do there is the handler's {@link Requires} rule; metrics need the service-operator scope (or, for Prometheus
 * only, the scrape credential); 401 and 403 are problem details like every other error; security headers on
 * every response. A stream GET may instead carry a single-use ticket ({@link StreamTicketAuthentication}), and a
 * machine client an API key ({@link ApiKeyAuthentication}); a JWT is never read from a URL.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
public class SecurityConfig {

    /** The profile of a workstation: generated secrets and the development token endpoint, nothing else. */
    public static final String LOCAL_PROFILE = "local";

    /** The operator scope as the actuator rules (actuator has no handlers with rules) ask for it. */
    static final String OPERATOR_AUTHORITY = Scope.SERVICE_OPERATOR.authority();

    static final String METRICS_SCRAPE_AUTHORITY = Access.METRICS_SCRAPE_AUTHORITY;

    /** Tolerating more than this between clocks would let expired tokens live on noticeably. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    /** API responses are data, never pages: nothing may load, nothing may frame them. */
    static final String API_CSP = "default-src 'none'; frame-ancestors 'none'";

    /**
     * Swagger UI's page loads its own scripts, styles (some inline) and images, and fetches the document from this
     * origin; nothing from elsewhere, and no framing.
     */
    static final String API_DOCS_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

    private static final java.util.regex.Pattern TENANT_PATTERN = java.util.regex.Pattern.compile(InputBounds.TENANT_ID_PATTERN);

    /**
     * {@code /actuator/prometheus} only: an operator bearer token, or HTTP basic with the scrape credential when
     * one is configured. Its own chain, so the scrape credential can never open any other route.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityWebFilterChain metricsScrapeSecurity(ServerHttpSecurity http, ReactiveJwtDecoder jwtDecoder,
            ProblemDetailsHandler problems, ObjectProvider<DeniedAccessRecorder> recorders,
            SecurityProperties properties) {
        ProblemSecurityHandlers handlers = new ProblemSecurityHandlers(problems, recorders);
        ReactiveAuthenticationManager scrape = scrapeAuthentication(properties.metrics());
        http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/actuator/prometheus"));
        if (scrape != null) {
            http.httpBasic(basic -> basic.authenticationManager(scrape).authenticationEntryPoint(handlers));
        }
        else {
            http.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable);
        }
        return statelessWithHeaders(http, jwtDecoder, handlers)
                .authorizeExchange(routes -> routes.anyExchange()
                        .hasAnyAuthority(OPERATOR_AUTHORITY, METRICS_SCRAPE_AUTHORITY))
                .build();
    }

    /**
     * The OpenAPI document and Swagger UI (springdoc): open in the {@code local} profile, an ADMIN or the operator
     * scope elsewhere. Their own chain, for the UI's page needs a CSP that lets it load its own scripts and styles.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 1)
    SecurityWebFilterChain apiDocsSecurity(ServerHttpSecurity http, ReactiveJwtDecoder jwtDecoder,
            ProblemDetailsHandler problems, ObjectProvider<DeniedAccessRecorder> recorders, Environment environment) {
        ProblemSecurityHandlers handlers = new ProblemSecurityHandlers(problems, recorders);
        boolean local = isLocal(environment);
        http.securityMatcher(ServerWebExchangeMatchers.pathMatchers(ApiDocsHandlers.PATHS));
        return statelessWithHeaders(http.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable), jwtDecoder, handlers,
                API_DOCS_CSP)
                .authorizeExchange(routes -> {
                    if (local) {
                        routes.anyExchange().permitAll();
                    }
                    else {
                        routes.anyExchange().hasAnyAuthority(Role.ADMIN.authority(), OPERATOR_AUTHORITY);
                    }
                })
                .build();
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 2)
    SecurityWebFilterChain apiSecurity(ServerHttpSecurity http, ReactiveJwtDecoder jwtDecoder,
            ProblemDetailsHandler problems, ObjectProvider<DeniedAccessRecorder> recorders,
            ObjectProvider<StreamTicketRedeemer> ticketRedeemers, ObjectProvider<ApiKeyVerifier> apiKeys,
            Environment environment) {
        ProblemSecurityHandlers handlers = new ProblemSecurityHandlers(problems, recorders);
        boolean local = isLocal(environment);
        // EventSource cannot send headers: a single-use ticket stands in for the bearer token on stream GETs.
        ticketRedeemers.ifAvailable(redeemer -> http.addFilterAt(StreamTicketAuthentication.filter(redeemer, handlers),
                SecurityWebFiltersOrder.AUTHENTICATION));
        // Machine clients: X-API-Key, verified against MongoDB on every request (revocation takes effect at once).
        apiKeys.ifAvailable(verifier -> http.addFilterAt(ApiKeyAuthentication.filter(verifier, handlers),
                SecurityWebFiltersOrder.AUTHENTICATION));
        return statelessWithHeaders(http.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable), jwtDecoder, handlers)
                .authorizeExchange(routes -> {
                    // Probes and status stay open; details are for operators (management.endpoint.health.roles).
                    routes.pathMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll();
                    if (local) {
                        // DevTokenController exists only in the local profile; elsewhere the path needs a token.
                        routes.pathMatchers(HttpMethod.POST, "/api/v1/dev/tokens").permitAll();
                    }
                    // Metrics name the database servers and the failures: operators only.
                    routes.pathMatchers("/actuator/**").hasAuthority(OPERATOR_AUTHORITY);
                    // A fence, not a decision: nothing under /admin (unknown paths, wrong methods included) answers
                    // anyone who could pass none of its routes' rules, and such probes are audited as denied.
                    routes.pathMatchers("/api/v1/admin/**")
                            .hasAnyAuthority(Role.ADMIN.authority(), Scope.SERVICE_OPERATOR.authority());
                    // Which caller may call an API route is its handler's @Requires rule (CallerArgumentResolver).
                    routes.anyExchange().authenticated();
                })
                .build();
    }

    private static ServerHttpSecurity statelessWithHeaders(ServerHttpSecurity http, ReactiveJwtDecoder jwtDecoder,
            ProblemSecurityHandlers handlers) {
        return statelessWithHeaders(http, jwtDecoder, handlers, API_CSP);
    }

    private static ServerHttpSecurity statelessWithHeaders(ServerHttpSecurity http, ReactiveJwtDecoder jwtDecoder,
            ProblemSecurityHandlers handlers, String contentSecurityPolicy) {
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(contentSecurityPolicy))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER)))
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(jwt -> jwt.jwtDecoder(jwtDecoder).jwtAuthenticationConverter(SecurityConfig::authentication))
                        .authenticationEntryPoint(handlers)
                        .accessDeniedHandler(handlers))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(handlers)
                        .accessDeniedHandler(handlers));
    }

    @Bean
    ReactiveJwtDecoder jwtDecoder(SecurityProperties properties, CryptoProperties crypto, SecureRandom random,
            Clock clock, Environment environment) {
        boolean local = isLocal(environment);
        SecurityProperties.Jwt jwt = properties.jwt();
        checkSettings(jwt, local);
        NimbusReactiveJwtDecoder decoder;
        if (local) {
            decoder = NimbusReactiveJwtDecoder.withSecretKey(devKey(crypto, random)).macAlgorithm(MacAlgorithm.HS256)
                    .build();
        }
        else if (!blank(jwt.jwkSetUri())) {
            decoder = NimbusReactiveJwtDecoder.withJwkSetUri(jwt.jwkSetUri()).build();
        }
        else {
            decoder = NimbusReactiveJwtDecoder.withSecretKey(configuredKey(jwt)).macAlgorithm(MacAlgorithm.HS256).build();
        }
        decoder.setJwtValidator(validator(jwt, clock));
        return decoder;
    }

    @Bean
    WebFluxConfigurer callerArguments(ListableBeanFactory beans) {
        return new WebFluxConfigurer() {
            @Override
            public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
                configurer.addCustomResolver(new CallerArgumentResolver(beans));
            }
        };
    }

    @Bean
    static SmartInitializingSingleton everyHandlerDeclaresARule(ListableBeanFactory beans) {
        return new HandlerRules(beans);
    }

    static boolean isLocal(Environment environment) {
        return environment.matchesProfiles(LOCAL_PROFILE);
    }

    /**
     * Refuses what would make tokens unsafe: the local profile (generated secret, open token endpoint) next to a
     * real secret or JWKS, no audience, and a clock skew or lifetime that is not small and positive.
     */
    static void checkSettings(SecurityProperties.Jwt jwt, boolean local) {
        if (local && (!blank(jwt.secret()) || !blank(jwt.jwkSetUri()))) {
            throw new SecurityConfigurationException("The 'local' profile is active next to a configured"
                    + " phishnet.security.jwt.secret or jwk-set-uri: its open token endpoint would hand out tokens"
                    + " of any tenant and role.",
                    "Do not run a deployment with real secrets under the 'local' profile: remove 'local' from"
                            + " SPRING_PROFILES_ACTIVE. On a workstation, unset PHISHNET_SECURITY_JWT_SECRET and"
                            + " PHISHNET_SECURITY_JWT_JWK_SET_URI instead.");
        }
        if (!blank(jwt.secret()) && !blank(jwt.jwkSetUri())) {
            throw new SecurityConfigurationException("Both phishnet.security.jwt.secret and jwk-set-uri are configured;"
                    + " only one way of verifying tokens may be.",
                    "Unset PHISHNET_SECURITY_JWT_SECRET to verify against the identity provider's JWKS, or unset"
                            + " PHISHNET_SECURITY_JWT_JWK_SET_URI to use the shared HS256 secret.");
        }
        if (blank(jwt.audience())) {
            throw new SecurityConfigurationException("No token audience is configured"
                    + " (phishnet.security.jwt.audience), so tokens minted for other services would be accepted.",
                    "Set PHISHNET_SECURITY_JWT_AUDIENCE to the 'aud' your identity provider puts in tokens for this"
                            + " service, for example phishnet-store.");
        }
        if (jwt.clockSkew() == null || jwt.clockSkew().isNegative() || jwt.clockSkew().compareTo(MAX_CLOCK_SKEW) > 0) {
            throw new SecurityConfigurationException("phishnet.security.jwt.clock-skew must be between 0s and "
                    + MAX_CLOCK_SKEW.toSeconds() + "s.", "Set PHISHNET_SECURITY_JWT_CLOCK_SKEW to a small value such"
                    + " as 30s; keep the servers' clocks synchronised instead of widening it.");
        }
        if (jwt.maxTokenLifetime() == null || jwt.maxTokenLifetime().isNegative() || jwt.maxTokenLifetime().isZero()) {
            throw new SecurityConfigurationException("phishnet.security.jwt.max-token-lifetime must be positive.",
                    "Set PHISHNET_SECURITY_JWT_MAX_TOKEN_LIFETIME to the longest access-token lifetime your identity"
                            + " provider issues, for example 1h.");
        }
    }

    /** The generated development secret of the local profile; never a configured one (see checkSettings). */
    static SecretKey devKey(CryptoProperties crypto, SecureRandom random) {
        return hmac(LocalDevSecrets.loadOrCreate(crypto.devSecretsFile(), random).jwtSecret());
    }

    /** The configured HS256 secret; without it and without a JWKS no request could be authenticated. */
    static SecretKey configuredKey(SecurityProperties.Jwt jwt) {
        if (blank(jwt.secret())) {
            throw new SecretsMissingException("No JWT verification is configured (phishnet.security.jwt.secret or"
                    + " phishnet.security.jwt.jwk-set-uri), so no request could be authenticated.");
        }
        try {
            return hmac(Base64.getDecoder().decode(jwt.secret().trim()));
        }
        catch (IllegalArgumentException invalid) {
            throw new SecretsMissingException("phishnet.security.jwt.secret is not valid base64");
        }
    }

    private static SecretKey hmac(byte[] secret) {
        if (secret.length < 32) {
            throw new SecretsMissingException("phishnet.security.jwt.secret must be at least 32 bytes for HS256");
        }
        return new SecretKeySpec(secret, "HmacSHA256");
    }

    /**
     * Required {@code exp} within the skew, bounded lifetime, no future {@code iat}, the configured audience, the
     * issuer when configured, and a bounded tenant and subject.
     */
    static OAuth2TokenValidator<Jwt> validator(SecurityProperties.Jwt jwt, Clock clock) {
        JwtTimestampValidator timestamps = new JwtTimestampValidator(jwt.clockSkew());
        timestamps.setAllowEmptyExpiryClaim(false);
        timestamps.setClock(clock);
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(timestamps);
        validators.add(new TokenLifetimeValidator(jwt.clockSkew(), jwt.maxTokenLifetime(), clock));
        validators.add(new JwtAudienceValidator(jwt.audience().trim()));
        if (!blank(jwt.issuer())) {
            validators.add(new JwtIssuerValidator(jwt.issuer().trim()));
        }
        // Bounded like the stored fields they end up in (tenantId, actorId), so a token cannot make writes fail.
        // Object, not String: a claim of another JSON type is an invalid token, not a ClassCastException.
        validators.add(new JwtClaimValidator<Object>(JwtClaims.TENANT, tenant -> tenant instanceof String text
                && TENANT_PATTERN.matcher(text).matches()));
        validators.add(new JwtClaimValidator<Object>("sub", subject -> subject instanceof String text && !text.isBlank()
                && text.length() <= InputBounds.SUBJECT_MAX));
        // Adds the JOSE type and certificate-binding checks, and keeps the timestamp validator configured above.
        return JwtValidators.createDefaultWithValidators(validators);
    }

    /** The scrape credential's authentication, or null when no password hash is configured. */
    static ReactiveAuthenticationManager scrapeAuthentication(SecurityProperties.Metrics metrics) {
        if (blank(metrics.scrapePasswordHash())) {
            return null;
        }
        String hash = metrics.scrapePasswordHash().trim();
        if (!hash.startsWith("{bcrypt}")) {
            throw new SecurityConfigurationException("phishnet.security.metrics.scrape-password-hash is not a"
                    + " {bcrypt} password hash; the scrape password itself must not be configured.",
                    "Set PHISHNET_SECURITY_METRICS_SCRAPE_PASSWORD_HASH to '{bcrypt}' followed by a bcrypt hash of the"
                            + " password, for example from: htpasswd -nbBC 12 '' \"$PASSWORD\" | tr -d ':\\n'");
        }
        UserDetailsRepositoryReactiveAuthenticationManager manager = new UserDetailsRepositoryReactiveAuthenticationManager(
                new MapReactiveUserDetailsService(User.withUsername(metrics.scrapeUsername())
                        .password(hash).authorities(METRICS_SCRAPE_AUTHORITY).build()));
        manager.setPasswordEncoder(PasswordEncoderFactories.createDelegatingPasswordEncoder());
        return manager;
    }

    static Mono<AbstractAuthenticationToken> authentication(Jwt jwt) {
        Collection<GrantedAuthority> authorities = new ArrayList<>();
        CallerArgumentResolver.roles(jwt).forEach(role -> authorities.add(new SimpleGrantedAuthority(role.authority())));
        CallerArgumentResolver.scopes(jwt).forEach(scope -> authorities.add(
                new SimpleGrantedAuthority(Access.scopeAuthority(scope))));
        if (CallerArgumentResolver.scopes(jwt).contains(Scope.SERVICE_OPERATOR.value())) {
            authorities.add(new SimpleGrantedAuthority(Access.operatorHealthRoleAuthority()));
        }
        return Mono.just(new JwtAuthenticationToken(jwt, authorities, jwt.getSubject()));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
