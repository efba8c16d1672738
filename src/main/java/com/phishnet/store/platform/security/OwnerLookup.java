package com.phishnet.store.platform.security;

import reactor.core.publisher.Mono;

/**
 * Names the user who owns a record, for {@link Access.Rule#OWNER_OR_ADMIN}. Implemented, as a bean, by the feature
 * that owns the record, and named by the handler's {@link Requires#owner()}. Asked only when the caller does not
 * pass the rule without it (an ADMIN does).
 */
public interface OwnerLookup {

    /** The owning user's id; empty when the caller's tenant has no such record (its handler answers 404). */
    Mono<String> ownerOf(Caller caller, String id);
}
