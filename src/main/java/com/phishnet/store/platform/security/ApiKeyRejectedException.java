package com.phishnet.store.platform.security;

import org.springframework.security.core.AuthenticationException;

/** An {@code X-API-Key} that is not accepted, or sent together with another credential: answered 401. */
final class ApiKeyRejectedException extends AuthenticationException {

    /** One text for every reason a key fails, so a failed request tells nothing about which keys exist. */
    static final String DETAIL = "The API key was not accepted: it is malformed, unknown, expired or revoked.";

    /** Two credentials could name two callers: the request must choose one. */
    static final String BOTH = "Send either an Authorization header or an X-API-Key header, not both.";

    ApiKeyRejectedException(String detail) {
        super(detail);
    }
}
