package com.phishnet.store.platform.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * What {@link org.springframework.security.oauth2.jwt.JwtTimestampValidator} leaves out: a token issued in the
 * future (beyond the skew) and a token that lives longer than the service accepts. Without {@code iat} the
 * remaining lifetime ({@code exp - now}) is bounded instead, so a far-away {@code exp} is refused either way.
 * The presence of {@code exp} itself is checked by the timestamp validator.
 */
final class TokenLifetimeValidator implements OAuth2TokenValidator<Jwt> {

    private final Duration clockSkew;
    private final Duration maxLifetime;
    private final Clock clock;

    TokenLifetimeValidator(Duration clockSkew, Duration maxLifetime, Clock clock) {
        this.clockSkew = clockSkew;
        this.maxLifetime = maxLifetime;
        this.clock = clock;
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        Instant now = clock.instant();
        Instant issuedAt = token.getIssuedAt();
        Instant expiresAt = token.getExpiresAt();
        if (issuedAt != null && issuedAt.isAfter(now.plus(clockSkew))) {
            return failure("iat is in the future");
        }
        if (expiresAt == null) {
            return failure("exp is required");
        }
        Instant from = issuedAt != null ? issuedAt : now;
        if (Duration.between(from, expiresAt).compareTo(maxLifetime) > 0) {
            return failure("the token lives longer than the service accepts");
        }
        return OAuth2TokenValidatorResult.success();
    }

    private static OAuth2TokenValidatorResult failure(String description) {
        return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, description, null));
    }
}
