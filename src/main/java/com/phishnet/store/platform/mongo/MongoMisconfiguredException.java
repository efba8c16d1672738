package com.phishnet.store.platform.mongo;

import com.phishnet.store.platform.ConfigurationRefusedException;

/** The configured MongoDB answers, but not as the connection string expects. */
public class MongoMisconfiguredException extends ConfigurationRefusedException {

    public MongoMisconfiguredException(String message, String action) {
        super(message, action);
    }
}
