package com.phishnet.store.credentials;

import java.time.Instant;
import java.util.List;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Request and response shapes of the credentials API. Views never carry token plaintext. */
public final class CredentialRequests {

    private CredentialRequests() {
    }

    public record CredentialInput(
            @NotNull CredentialProvider provider,
            @Email @Size(max = 320) String accountEmail,
            @NotBlank @Size(max = 8192) String accessToken,
            @Size(min = 1, max = 8192) String refreshToken,
            @Size(max = 100) List<@NotBlank @Size(max = 256) String> scopes,
            Instant expiresAt) {

        /** Never print the tokens. */
        @Override
        public String toString() {
            return "CredentialInput[provider=" + provider + ", tokens=<redacted>]";
        }
    }

    public record RotateTokens(
            @NotBlank @Size(max = 8192) String accessToken,
            @Size(min = 1, max = 8192) String refreshToken,
            @Size(max = 100) List<@NotBlank @Size(max = 256) String> scopes,
            Instant expiresAt) {

        @Override
        public String toString() {
            return "RotateTokens[tokens=<redacted>]";
        }
    }

    public record CredentialView(String id, String userId, CredentialProvider provider, List<String> scopes,
            CredentialStatus status, String keyId, Instant expiresAt, Instant createdAt, Instant rotatedAt,
            Instant revokedAt) {

        static CredentialView of(Credential credential) {
            return new CredentialView(credential.id(), credential.userId(), credential.provider(), credential.scopes(),
                    credential.status(), credential.accessToken().keyId(), credential.expiresAt(),
                    credential.createdAt(), credential.rotatedAt(), credential.revokedAt());
        }
    }

    /** Plaintext tokens, for the owning service principal only; every read is audited. */
    public record CredentialSecret(String id, CredentialProvider provider, String accessToken, String refreshToken,
            Instant expiresAt) {

        @Override
        public String toString() {
            return "CredentialSecret[id=" + id + ", tokens=<redacted>]";
        }
    }
}
