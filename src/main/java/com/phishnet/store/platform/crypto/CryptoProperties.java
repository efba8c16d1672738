package com.phishnet.store.platform.crypto;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the field-encryption keys come from: the environment ({@code PHISHNET_CRYPTO_DATA_KEYS="k1:BASE64,k2:BASE64"},
 * {@code PHISHNET_CRYPTO_PRIMARY_KEY_ID}, {@code PHISHNET_CRYPTO_BLIND_INDEX_KEY}), a key file with the same
 * three entries, or, in the local profile only, generated development keys.
 */
@ConfigurationProperties("phishnet.crypto")
public record CryptoProperties(
        String dataKeys,
        String primaryKeyId,
        String blindIndexKey,
        Path keyFile,
        @DefaultValue("false") boolean devKeys,
        @DefaultValue(".data/dev-secrets.properties") Path devSecretsFile) {
}
