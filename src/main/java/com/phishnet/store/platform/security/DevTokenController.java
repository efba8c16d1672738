package com.phishnet.store.platform.security;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.phishnet.store.platform.crypto.CryptoProperties;
import com.phishnet.store.platform.web.InputBounds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
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
 * Mints development bearer tokens signed with the local secret. Exists only where
 * {@code phishnet.security.dev-tokens=true}, which only the {@code local} profile sets.
 */
@RestController
@ConditionalOnProperty(name = "phishnet.security.dev-tokens", havingValue = "true")
public class DevTokenController {

    private static final Logger log = LoggerFactory.getLogger(DevTokenController.class);

    private final JwtEncoder encoder;
    private final Clock clock;

    public DevTokenController(SecurityProperties properties, CryptoProperties crypto, SecureRandom random, Clock clock) {
        this.encoder = NimbusJwtEncoder.withSecretKey(SecurityConfig.hmacKey(properties, crypto, random)).build();
        this.clock = clock;
    }

    public record DevTokenRequest(
            @NotBlank @Size(max = InputBounds.SUBJECT_MAX) String subject,
            @NotBlank @Pattern(regexp = InputBounds.TENANT_ID_PATTERN) String tenant,
            @Size(max = 3) List<Role> roles,
            @Size(max = 20) List<@NotBlank String> scopes,
            @Min(1) @Max(1440) Integer ttlMinutes) {
    }

    public record DevToken(String accessToken, String tokenType, Instant expiresAt) {
    }

    @PostMapping("/api/v1/dev/tokens")
    public Mono<DevToken> mint(@Valid @RequestBody DevTokenRequest request) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(Duration.ofMinutes(request.ttlMinutes() == null ? 60 : request.ttlMinutes()));
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .subject(request.subject())
                .issuedAt(now)
                .expiresAt(expiresAt)
                .claim(JwtClaims.TENANT, request.tenant())
                .claim(JwtClaims.ROLES, request.roles() == null ? List.of() : request.roles().stream().map(Role::name).toList())
                .claim(JwtClaims.SCOPE, String.join(" ", request.scopes() == null ? Set.of() : request.scopes()))
                .build();
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
