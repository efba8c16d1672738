package com.phishnet.store.platform.mongo;

/**
 * The configured MongoDB answers, but not as the connection string expects; carries the exact way out for
 * the failure analyzer.
 */
public class MongoMisconfiguredException extends RuntimeException {

    private final String action;

    public MongoMisconfiguredException(String message, String action) {
        super(message);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
