package com.phishnet.store.credentials;

import java.util.function.Supplier;

import com.phishnet.store.platform.security.Caller;

import reactor.core.publisher.Mono;

/**
 * The users credentials belong to, as far as this feature needs them. The users feature implements it, so
 * credentials never imports users (which stores and revokes credentials as part of its own work).
 */
public interface CredentialHolders {

    /** Completes when the caller's tenant has the user; a 404 otherwise. */
    Mono<Void> requireExisting(Caller caller, String userId);

    /**
     * Runs {@code work} in one transaction that requires the user to be active (404 if missing, 409 if not
     * active), so nothing is granted to a user deactivated meanwhile.
     */
    <T> Mono<T> forActiveUser(Caller caller, String userId, Supplier<Mono<T>> work);
}
