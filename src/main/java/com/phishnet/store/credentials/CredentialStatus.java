package com.phishnet.store.credentials;

public enum CredentialStatus {
    ACTIVE, REVOKED
}
