package com.phishnet.store.apikeys;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.phishnet.store.platform.security.Access.Scope;

/**
 * The scopes an API key may carry, written as tokens write them ({@link ApiKeyFields#SCOPE_VALUES}); any other
 * text, {@code service:operator} included, is a 400. Whether a caller may grant one: {@link ApiKeyRules}.
 */
public enum ApiKeyScope {
    @JsonProperty("scans:write")
    SCANS_WRITE(Scope.SCANS_WRITE),
    @JsonProperty("reputation:write")
    REPUTATION_WRITE(Scope.REPUTATION_WRITE),
    @JsonProperty("credentials:read-secret")
    CREDENTIALS_READ_SECRET(Scope.CREDENTIALS_READ_SECRET);

    private final Scope scope;

    ApiKeyScope(Scope scope) {
        this.scope = scope;
    }

    public Scope scope() {
        return scope;
    }

    /** The scope as stored and as tokens write it. */
    public String value() {
        return scope.value();
    }

    public static ApiKeyScope ofStored(String value) {
        for (ApiKeyScope candidate : values()) {
            if (candidate.value().equals(value)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("Unknown API key scope " + value);
    }
}
