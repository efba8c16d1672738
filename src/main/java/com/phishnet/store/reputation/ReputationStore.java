package com.phishnet.store.reputation;

import java.time.Instant;

import reactor.core.publisher.Mono;

/** Where reputation entries are kept for good: MongoDB. An interface so cache tests can count reads. */
public interface ReputationStore {

    /** The owner's entry if it has not expired yet (the TTL monitor may lag behind {@code expiresAt}). */
    Mono<ReputationEntry> findValid(ReputationOwner owner, SubjectType type, String subject, Instant now);

    /** Inserts or replaces the owner's entry for its subject. */
    Mono<ReputationEntry> save(ReputationEntry entry);
}
