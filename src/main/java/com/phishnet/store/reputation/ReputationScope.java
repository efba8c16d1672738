package com.phishnet.store.reputation;

/** Whose verdict an entry is: the global threat feeds' (every tenant sees it) or one tenant's override. */
public enum ReputationScope {
    GLOBAL, TENANT
}
