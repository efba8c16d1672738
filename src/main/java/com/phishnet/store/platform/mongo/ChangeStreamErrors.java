package com.phishnet.store.platform.mongo;

import com.mongodb.MongoException;

/**
 * How a change stream failed: a resume point the server no longer holds (the client must re-read), or anything
 * else, which a cursor survives by resuming from its last token after a pause.
 */
public final class ChangeStreamErrors {

    /** The oplog no longer reaches back to the resume point. */
    public static final int CHANGE_STREAM_HISTORY_LOST = 286;

    /** The resume point cannot be found in the stream (an event of another stream, or one that was rolled back). */
    public static final int CHANGE_STREAM_FATAL_ERROR = 280;

    private ChangeStreamErrors() {
    }

    /** True when no cursor can resume from the requested point: retrying would fail the same way. */
    public static boolean historyLost(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof MongoException mongo && (mongo.getCode() == CHANGE_STREAM_HISTORY_LOST
                    || mongo.getCode() == CHANGE_STREAM_FATAL_ERROR)) {
                return true;
            }
        }
        return false;
    }
}
