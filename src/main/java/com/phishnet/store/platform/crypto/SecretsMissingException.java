package com.phishnet.store.platform.crypto;

/** A required key or secret is absent or malformed; the message names the setting, never the value. */
public class SecretsMissingException extends RuntimeException {

    public SecretsMissingException(String message) {
        super(message);
    }

    public SecretsMissingException(String message, Throwable cause) {
        super(message, cause);
    }
}
