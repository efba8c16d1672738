package com.phishnet.store.platform.security;

import org.springframework.security.oauth2.jwt.Jwt;
import reactor.core.publisher.Mono;

/**
 * The port through which the security filter chain authenticates an {@code X-API-Key} header. Implemented by the
 * API-keys feature, which issues the keys; platform only knows this interface. Without an implementation, a key
 * authenticates nothing.
 */
public interface ApiKeyVerifier {

    /**
     * The claims of the caller a presented key stands for (subject {@code api-key:<id>}, its tenant, no roles, its
     * scopes), or empty when the key is malformed, unknown, expired or revoked: every one of these answers the
     * same. Looked up on every request, so a revoked key stops at once.
     */
    Mono<Jwt> verify(String presentedKey);
}
