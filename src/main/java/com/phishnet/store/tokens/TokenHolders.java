package com.phishnet.store.tokens;

import java.util.function.Supplier;

import com.phishnet.store.platform.security.Caller;

import reactor.core.publisher.Mono;

/**
 * The users refresh tokens are issued to, as far as this feature needs them. The users feature implements it,
 * so tokens never imports users (which revokes a user's tokens when it deactivates them).
 */
public interface TokenHolders {

    /**
     * Runs {@code work} in one transaction that requires the user to be active (404 if missing, 409 if not
     * active), so no token is issued to a user deactivated meanwhile.
     */
    <T> Mono<T> forActiveUser(Caller caller, String userId, Supplier<Mono<T>> work);
}
