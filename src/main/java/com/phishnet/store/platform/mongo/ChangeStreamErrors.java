package com.phishnet.store.platform.mongo;

import java.util.Set;

import com.mongodb.MongoException;

/**
 * How a change stream failed: at a resume point no cursor can start from (the client must re-read), or in a way a
 * cursor survives by resuming from where it was after a pause (an election, the network, a killed cursor, even a
 * misconfiguration that an operator fixes).
 */
public final class ChangeStreamErrors {

    /** The oplog no longer reaches back to the resume point. */
    public static final int CHANGE_STREAM_HISTORY_LOST = 286;

    /**
     * The resume point is not in this stream: an event of another stream (or one its {@code $match} drops), one that
     * was rolled back, or a forged token.
     */
    public static final int CHANGE_STREAM_FATAL_ERROR = 280;

    /** BadValue and FailedToParse: a token the server cannot read. */
    static final Set<Integer> UNREADABLE_TOKEN = Set.of(2, 9);

    private ChangeStreamErrors() {
    }

    /** True when the oplog no longer holds the resume point. */
    public static boolean historyLost(Throwable failure) {
        return hasCode(failure, Set.of(CHANGE_STREAM_HISTORY_LOST));
    }

    /** True when the server does not know the resume point at all (it is not this stream's, or it is unreadable). */
    public static boolean positionUnknown(Throwable failure) {
        return hasCode(failure, Set.of(CHANGE_STREAM_FATAL_ERROR)) || hasCode(failure, UNREADABLE_TOKEN);
    }

    /** True when resuming from the same point would fail the same way, however often it is tried. */
    public static boolean cannotResume(Throwable failure) {
        return historyLost(failure) || positionUnknown(failure);
    }

    private static boolean hasCode(Throwable failure, Set<Integer> codes) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof MongoException mongo && codes.contains(mongo.getCode())) {
                return true;
            }
        }
        return false;
    }
}
