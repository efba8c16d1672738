package com.phishnet.store.platform.crypto;

import java.util.Arrays;

import org.springframework.data.mongodb.core.mapping.Field;

/**
 * An encrypted field value as stored: the id of the key that sealed it, and nonce + ciphertext + tag.
 * Holds no plaintext, so it may be logged or returned by mistake without leaking the secret.
 */
public record Sealed(@Field("keyId") String keyId, @Field("ciphertext") byte[] ciphertext) {

    @Override
    public boolean equals(Object other) {
        return other instanceof Sealed sealed && keyId.equals(sealed.keyId) && Arrays.equals(ciphertext, sealed.ciphertext);
    }

    @Override
    public int hashCode() {
        return 31 * keyId.hashCode() + Arrays.hashCode(ciphertext);
    }

    @Override
    public String toString() {
        return "Sealed[keyId=" + keyId + ", " + ciphertext.length + " bytes]";
    }
}
