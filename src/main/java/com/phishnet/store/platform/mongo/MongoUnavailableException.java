package com.phishnet.store.platform.mongo;

/** No MongoDB could be reached or launched; the failure analyzer turns this into the ways out. */
public class MongoUnavailableException extends RuntimeException {

    public MongoUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
