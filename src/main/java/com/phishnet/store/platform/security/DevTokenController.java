package com.phishnet.store.platform.security;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.phishnet.store.platform.crypto.CryptoProperties;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.web.InputBounds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.phishnet.store.platform.web.ApiException;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Mints development bearer tokens, signed with the generated development secret only. Exists only in the
 * {@code local} profile, which refuses to start next to a configured secret or JWKS (SecurityConfig), so it can
 * never mint a token a production deployment would accept. It grants whatever it is asked, including the
 * service-operator scope: the local profile is a single developer's workstation with its own throwaway data.
 */
@RestController
@Profile(SecurityConfig.LOCAL_PROFILE)
public class DevTokenController {

    private static final Logger log = LoggerFactory.getLogger(DevTokenController.class);

    private final JwtEncoder encoder;
    private final SecurityProperties.Jwt jwt;
    private final Clock clock;

    public DevTokenController(SecurityProperties properties, CryptoProperties crypto, SecureRandom random, Clock clock) {
        this.encoder = NimbusJwtEncoder.withSecretKey(SecurityConfig.devKey(crypto, random)).build();
        this.jwt = properties.jwt();
        this.clock = clock;
    }

    public record DevTokenRequest(
            @NotBlank @Size(max = InputBounds.SUBJECT_MAX) String subject,
            @NotBlank @Pattern(regexp = InputBounds.TENANT_ID_PATTERN) String tenant,
            @Size(max = 3) List<@NotNull Role> roles,
            @Size(max = 20) List<@NotBlank String> scopes,
            @Min(1) @Max(1440) Integer ttlMinutes) {
    }

    public record DevToken(String accessToken, String tokenType, Instant expiresAt) {
    }

    @PostMapping("/api/v1/dev/tokens")
    @Operation(summary = "Mint a development token")
    @Requires(Rule.PUBLIC)
    public Mono<DevToken> mint(@Valid @RequestBody DevTokenRequest request) {
        Duration ttl = Duration.ofMinutes(request.ttlMinutes() == null ? 60 : request.ttlMinutes());
        if (ttl.compareTo(jwt.maxTokenLifetime()) > 0) {
            return Mono.error(new ApiException.InvalidField("ttlMinutes",
                    "must be at most " + jwt.maxTokenLifetime().toMinutes() + " (phishnet.security.jwt.max-token-lifetime)"));
        }
        Instant now = clock.instant();
        Instant expiresAt = now.plus(ttl);
        JwtClaimsSet.Builder builder = JwtClaimsSet.builder()
                .subject(request.subject())
                .audience(List.of(jwt.audience().trim()))
                .issuedAt(now)
                .expiresAt(expiresAt)
                .claim(JwtClaims.TENANT, request.tenant())
                .claim(JwtClaims.ROLES, request.roles() == null ? List.of() : request.roles().stream().map(Role::name).toList())
                .claim(JwtClaims.SCOPE, String.join(" ", request.scopes() == null ? Set.of() : request.scopes()));
        if (jwt.issuer() != null && !jwt.issuer().isBlank()) {
            builder.issuer(jwt.issuer().trim());
        }
        JwtClaimsSet claims = builder.build();
        String token = encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
                .getTokenValue();
        return Mono.just(new DevToken(token, "Bearer", expiresAt));
    }

    @EventListener(ApplicationReadyEvent.class)
    void explain(ApplicationReadyEvent ready) {
        int port = ready.getApplicationContext() instanceof WebServerApplicationContext web
                ? web.getWebServer().getPort() : 8080;
        log.info("Local profile: mint a development token with\n"
                + "  curl -s -X POST localhost:{}/api/v1/dev/tokens -H 'Content-Type: application/json' -d "
                + "'{\"subject\":\"admin-1\",\"tenant\":\"acme\",\"roles\":[\"ADMIN\"]}'\n"
                + "then call the API with -H 'Authorization: Bearer <accessToken>'", port);
    }
}
