package com.phishnet.store.platform.security;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import com.phishnet.store.platform.crypto.CryptoProperties;
import com.phishnet.store.platform.crypto.LocalDevSecrets;
import com.phishnet.store.platform.crypto.SecretsMissingException;
import com.phishnet.store.platform.web.InputBounds;
import com.phishnet.store.platform.web.ProblemDetailsHandler;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;
import reactor.core.publisher.Mono;

/**
 * Stateless bearer-JWT security: every API route needs a valid token carrying a tenant; admin routes need the
 * ADMIN role; 401 and 403 are problem details like every other error; security headers on every response.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
public class SecurityConfig {

    private static final java.util.regex.Pattern TENANT_PATTERN = java.util.regex.Pattern.compile(InputBounds.TENANT_ID_PATTERN);

    @Bean
    SecurityWebFilterChain apiSecurity(ServerHttpSecurity http, ReactiveJwtDecoder jwtDecoder,
            ProblemDetailsHandler problems, ObjectProvider<DeniedAccessRecorder> recorders) {
        ProblemSecurityHandlers handlers = new ProblemSecurityHandlers(problems, recorders);
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'none'; frame-ancestors 'none'"))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER)))
                .authorizeExchange(routes -> routes
                        .pathMatchers("/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus")
                        .permitAll()
                        // Exists only in the local profile (DevTokenController); elsewhere it is a 404.
                        .pathMatchers(HttpMethod.POST, "/api/v1/dev/tokens").permitAll()
                        // Service-wide work: the operator authority, which no tenant role implies.
                        .pathMatchers("/api/v1/admin/key-rotations", "/api/v1/admin/key-rotations/**",
                                "/api/v1/admin/system-stats").hasAuthority("SCOPE_" + Caller.OPERATOR_SCOPE)
                        .pathMatchers("/api/v1/admin/**").hasRole(Role.ADMIN.name())
                        .anyExchange().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(jwt -> jwt.jwtDecoder(jwtDecoder).jwtAuthenticationConverter(SecurityConfig::authentication))
                        .authenticationEntryPoint(handlers)
                        .accessDeniedHandler(handlers))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(handlers)
                        .accessDeniedHandler(handlers))
                .build();
    }

    @Bean
    ReactiveJwtDecoder jwtDecoder(SecurityProperties properties, CryptoProperties crypto, SecureRandom random) {
        NimbusReactiveJwtDecoder decoder;
        SecurityProperties.Jwt jwt = properties.jwt();
        if (jwt.jwkSetUri() != null && !jwt.jwkSetUri().isBlank()) {
            decoder = NimbusReactiveJwtDecoder.withJwkSetUri(jwt.jwkSetUri()).build();
        }
        else {
            decoder = NimbusReactiveJwtDecoder.withSecretKey(hmacKey(properties, crypto, random))
                    .macAlgorithm(MacAlgorithm.HS256).build();
        }
        decoder.setJwtValidator(validator(jwt.issuer()));
        return decoder;
    }

    @Bean
    WebFluxConfigurer callerArguments() {
        return new WebFluxConfigurer() {
            @Override
            public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
                configurer.addCustomResolver(new CallerArgumentResolver());
            }
        };
    }

    /** The HS256 key: configured, or in the local profile the generated development secret. */
    static SecretKey hmacKey(SecurityProperties properties, CryptoProperties crypto, SecureRandom random) {
        byte[] secret;
        if (properties.jwt().secret() != null && !properties.jwt().secret().isBlank()) {
            try {
                secret = java.util.Base64.getDecoder().decode(properties.jwt().secret().trim());
            }
            catch (IllegalArgumentException invalid) {
                throw new SecretsMissingException("phishnet.security.jwt.secret is not valid base64");
            }
        }
        else if (properties.devTokens()) {
            secret = LocalDevSecrets.loadOrCreate(crypto.devSecretsFile(), random).jwtSecret();
        }
        else {
            throw new SecretsMissingException("No JWT verification is configured (phishnet.security.jwt.secret or"
                    + " phishnet.security.jwt.jwk-set-uri), so no request could be authenticated.");
        }
        if (secret.length < 32) {
            throw new SecretsMissingException("phishnet.security.jwt.secret must be at least 32 bytes for HS256");
        }
        return new SecretKeySpec(secret, "HmacSHA256");
    }

    /** Expiry and not-before (with the default clock skew), the issuer when configured, and a tenant and subject. */
    static OAuth2TokenValidator<Jwt> validator(String issuer) {
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(issuer != null && !issuer.isBlank()
                ? JwtValidators.createDefaultWithIssuer(issuer) : JwtValidators.createDefault());
        // Bounded like the stored fields they end up in (tenantId, actorId), so a token cannot make writes fail.
        validators.add(new JwtClaimValidator<String>(JwtClaims.TENANT, tenant -> tenant != null
                && TENANT_PATTERN.matcher(tenant).matches()));
        validators.add(new JwtClaimValidator<String>("sub", subject -> subject != null && !subject.isBlank()
                && subject.length() <= InputBounds.SUBJECT_MAX));
        return new DelegatingOAuth2TokenValidator<>(validators);
    }

    static Mono<AbstractAuthenticationToken> authentication(Jwt jwt) {
        Collection<GrantedAuthority> authorities = new ArrayList<>();
        CallerArgumentResolver.roles(jwt).forEach(role -> authorities.add(new SimpleGrantedAuthority(role.authority())));
        CallerArgumentResolver.scopes(jwt).forEach(scope -> authorities.add(new SimpleGrantedAuthority("SCOPE_" + scope)));
        return Mono.just(new JwtAuthenticationToken(jwt, authorities, jwt.getSubject()));
    }
}
