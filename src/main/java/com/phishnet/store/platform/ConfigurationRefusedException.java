package com.phishnet.store.platform;

/**
 * The service refuses to start on settings that are unsafe, incomplete or do not match what it finds; carries the
 * exact way out, which {@link ConfigurationRefusedFailureAnalyzer} prints instead of a stack trace.
 */
public class ConfigurationRefusedException extends RuntimeException {

    private final String action;

    public ConfigurationRefusedException(String message, String action) {
        super(message);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
