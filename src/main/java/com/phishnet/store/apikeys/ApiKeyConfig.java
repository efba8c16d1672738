package com.phishnet.store.apikeys;

import com.phishnet.store.platform.crypto.KeyRing;
import com.phishnet.store.platform.crypto.KeyedHash;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The keyed hash of API keys: its own key, derived from the key ring's blind-index key for this purpose only. */
@Configuration(proxyBeanMethods = false)
class ApiKeyConfig {

    static final String HASH_PURPOSE = "api-keys";

    @Bean
    KeyedHash apiKeyHashes(KeyRing keys) {
        return new KeyedHash(keys, HASH_PURPOSE);
    }
}
