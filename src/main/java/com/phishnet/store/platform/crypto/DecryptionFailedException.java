package com.phishnet.store.platform.crypto;

/**
 * A stored ciphertext did not open: tampered with, moved from another record or field, or sealed by a key
 * this service no longer has. Never carries plaintext or key material.
 */
public class DecryptionFailedException extends RuntimeException {

    public DecryptionFailedException(String message) {
        super(message);
    }
}
