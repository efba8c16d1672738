package com.phishnet.store.platform.crypto;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the key ring once at startup and the cipher and blind index on top of it. */
@Configuration(proxyBeanMethods = false)
public class CryptoConfig {

    @Bean
    SecureRandom secureRandom() {
        return new SecureRandom();
    }

    @Bean
    KeyRing keyRing(CryptoProperties properties, SecureRandom random) {
        return load(properties, random);
    }

    @Bean
    FieldCipher fieldCipher(KeyRing keys, SecureRandom random) {
        return new FieldCipher(keys, random);
    }

    @Bean
    BlindIndex blindIndex(KeyRing keys) {
        return new BlindIndex(keys);
    }

    static KeyRing load(CryptoProperties properties, SecureRandom random) {
        if (properties.dataKeys() != null && !properties.dataKeys().isBlank()) {
            return fromValues(properties.dataKeys(), properties.primaryKeyId(), properties.blindIndexKey(), "environment");
        }
        if (properties.keyFile() != null) {
            return fromFile(properties);
        }
        if (properties.devKeys()) {
            LocalDevSecrets secrets = LocalDevSecrets.loadOrCreate(properties.devSecretsFile(), random);
            return new KeyRing(Map.of(LocalDevSecrets.DATA_KEY_ID, secrets.dataKey()), LocalDevSecrets.DATA_KEY_ID,
                    secrets.blindIndexKey());
        }
        throw new SecretsMissingException("No field-encryption keys are configured (phishnet.crypto.data-keys or"
                + " phishnet.crypto.key-file), so credentials could not be stored safely.");
    }

    private static KeyRing fromFile(CryptoProperties properties) {
        Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(properties.keyFile())) {
            file.load(reader);
        }
        catch (IOException failure) {
            throw new SecretsMissingException("Cannot read the key file " + properties.keyFile(), failure);
        }
        return fromValues(file.getProperty("data-keys"), file.getProperty("primary-key-id"),
                file.getProperty("blind-index-key"), "key file " + properties.keyFile());
    }

    /** {@code dataKeys} is "id:base64,id:base64"; the primary defaults to the only key when there is one. */
    static KeyRing fromValues(String dataKeys, String primaryKeyId, String blindIndexKey, String source) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (String entry : dataKeys.split(",")) {
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw new SecretsMissingException("Data keys from the " + source + " must look like 'id:base64,...'");
            }
            keys.put(entry.substring(0, colon).trim(), decode(entry.substring(colon + 1).trim(), "data key", source));
        }
        String primary = primaryKeyId != null && !primaryKeyId.isBlank() ? primaryKeyId.trim()
                : keys.size() == 1 ? keys.keySet().iterator().next() : null;
        if (primary == null) {
            throw new SecretsMissingException("Several data keys but no primary-key-id in the " + source);
        }
        if (blindIndexKey == null || blindIndexKey.isBlank()) {
            throw new SecretsMissingException("No blind-index-key in the " + source);
        }
        try {
            return new KeyRing(keys, primary, decode(blindIndexKey.trim(), "blind-index key", source));
        }
        catch (IllegalArgumentException invalid) {
            throw new SecretsMissingException("Invalid keys in the " + source + ": " + invalid.getMessage());
        }
    }

    private static byte[] decode(String base64, String what, String source) {
        try {
            return Base64.getDecoder().decode(base64);
        }
        catch (IllegalArgumentException invalid) {
            throw new SecretsMissingException("The " + what + " in the " + source + " is not valid base64");
        }
    }
}
