package com.phishnet.store.platform.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How bearer tokens are verified: an HS256 shared secret ({@code PHISHNET_SECURITY_JWT_SECRET}, base64, at least
 * 32 bytes) or the JWKS of an identity provider ({@code PHISHNET_SECURITY_JWT_JWK_SET_URI}). The local profile
 * uses a generated development secret and enables the development token endpoint.
 */
@ConfigurationProperties("phishnet.security")
public record SecurityProperties(@DefaultValue Jwt jwt, @DefaultValue("false") boolean devTokens) {

    public record Jwt(String secret, String jwkSetUri, String issuer) {
    }
}
