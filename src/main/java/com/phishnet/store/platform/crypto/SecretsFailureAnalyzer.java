package com.phishnet.store.platform.crypto;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a missing or malformed secret into a message that says which setting to provide. */
public class SecretsFailureAnalyzer extends AbstractFailureAnalyzer<SecretsMissingException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SecretsMissingException cause) {
        return new FailureAnalysis(cause.getMessage(), """
                Provide the secrets through the environment or a file, for example:
                  PHISHNET_CRYPTO_DATA_KEYS='k1:<base64 of 32 random bytes>'   (openssl rand -base64 32)
                  PHISHNET_CRYPTO_PRIMARY_KEY_ID=k1
                  PHISHNET_CRYPTO_BLIND_INDEX_KEY='<base64 of 32 other random bytes>'
                  PHISHNET_SECURITY_JWT_SECRET='<base64 of 32+ random bytes>'  or  PHISHNET_SECURITY_JWT_JWK_SET_URI=https://...
                or PHISHNET_CRYPTO_KEY_FILE=/run/secrets/phishnet-keys.properties (data-keys, primary-key-id,
                blind-index-key). On a workstation, './mvnw spring-boot:run' uses the local profile, which generates
                development secrets by itself.""", cause);
    }
}
