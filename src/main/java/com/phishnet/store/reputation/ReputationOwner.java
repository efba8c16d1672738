package com.phishnet.store.reputation;

import java.util.Objects;

import com.phishnet.store.platform.crypto.Sha256;

/**
 * The owner of a verdict: the global feeds, or one tenant. It decides the document id and the Redis key, so a
 * tenant's override and the global verdict of the same subject can never share either.
 */
public record ReputationOwner(ReputationScope scope, String tenantId) {

    public static final ReputationOwner GLOBAL = new ReputationOwner(ReputationScope.GLOBAL, null);

    public ReputationOwner {
        Objects.requireNonNull(scope, "scope");
        if ((scope == ReputationScope.TENANT) == (tenantId == null)) {
            throw new IllegalArgumentException("A tenant override names its tenant; a global verdict names none");
        }
    }

    public static ReputationOwner tenant(String tenantId) {
        return new ReputationOwner(ReputationScope.TENANT, Objects.requireNonNull(tenantId, "tenantId"));
    }

    /**
     * SHA-256 (64 hex characters) of owner, type and subject: fixed length whatever the subject's (a URL may
     * have 2,048 characters), and unique per key, so an upsert can filter on {@code _id} alone. The subject comes
     * last and the parts before it cannot contain the separator, so two different keys never hash the same input.
     */
    public String documentId(SubjectType type, String normalizedSubject) {
        String owner = scope == ReputationScope.GLOBAL ? "G" : "T\u001f" + tenantId;
        return Sha256.hex(owner + "\u001f" + type.name() + "\u001f" + normalizedSubject);
    }

    /** Redis key; tenant ids cannot contain ':', so a tenant key never equals a global or another tenant's key. */
    public String cacheKey(SubjectType type, String normalizedSubject) {
        String owner = scope == ReputationScope.GLOBAL ? "g" : "t:" + tenantId;
        return "rep:" + owner + ":" + type.name() + ":" + normalizedSubject;
    }
}
