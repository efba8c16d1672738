package com.phishnet.store.platform.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How bearer tokens are verified: an HS256 shared secret ({@code PHISHNET_SECURITY_JWT_SECRET}, base64, at least
 * 32 bytes) or the JWKS of an identity provider ({@code PHISHNET_SECURITY_JWT_JWK_SET_URI}), for the audience
 * {@code PHISHNET_SECURITY_JWT_AUDIENCE}. The {@code local} profile, and only it, uses a generated development
 * secret and offers the development token endpoint; it refuses to start next to a configured secret or JWKS.
 */
@ConfigurationProperties("phishnet.security")
public record SecurityProperties(@DefaultValue Jwt jwt, @DefaultValue Metrics metrics) {

    /**
     * @param audience         the {@code aud} every token must name; required outside the {@code local} profile
     * @param clockSkew        tolerance for {@code exp}, {@code nbf} and a future {@code iat}: small, servers run NTP
     * @param maxTokenLifetime longest accepted {@code exp - iat} (or {@code exp - now} without {@code iat})
     */
    public record Jwt(String secret, String jwkSetUri, String issuer, String audience,
            @DefaultValue("30s") Duration clockSkew, @DefaultValue("24h") Duration maxTokenLifetime) {
    }

    /**
     * The Prometheus scrape credential for {@code /actuator/prometheus} over HTTP basic, as a Spring Security
     * password hash with its id prefix ({@code {bcrypt}$2a$10$...}); unset = only operator bearer tokens scrape.
     */
    public record Metrics(@DefaultValue("prometheus") String scrapeUsername, String scrapePasswordHash) {
    }
}
