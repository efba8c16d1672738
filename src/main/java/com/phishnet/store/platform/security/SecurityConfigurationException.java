package com.phishnet.store.platform.security;

/** The security settings are unsafe or incomplete; the service refuses to start and says how to fix it. */
public class SecurityConfigurationException extends RuntimeException {

    private final String action;

    public SecurityConfigurationException(String message, String action) {
        super(message);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
