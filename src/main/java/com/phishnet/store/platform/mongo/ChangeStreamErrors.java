package com.phishnet.store.platform.mongo;

import java.util.Set;

import com.mongodb.MongoException;
import com.mongodb.MongoServerException;

/**
 * How a change stream failed: a resume point the server no longer holds (the client must re-read), or anything
 * else, which a cursor survives by resuming from its last token after a pause.
 */
public final class ChangeStreamErrors {

    /** The oplog no longer reaches back to the resume point. */
    public static final int CHANGE_STREAM_HISTORY_LOST = 286;

    /** The resume point cannot be found in the stream (an event of another stream, or one that was rolled back). */
    public static final int CHANGE_STREAM_FATAL_ERROR = 280;

    /** The label servers (4.4+) put on errors a change stream survives by resuming. */
    static final String RESUMABLE = "ResumableChangeStreamError";

    /**
     * The codes the change-streams specification lists as resumable for servers that attach no label, and which
     * an election or a shutdown also produce on the first aggregate (which carries no label either).
     */
    static final Set<Integer> RESUMABLE_CODES = Set.of(6, 7, 63, 89, 91, 133, 150, 189, 234, 262, 9001, 10107, 11600,
            11602, 13388, 13435, 13436);

    private ChangeStreamErrors() {
    }

    /**
     * True when resuming from the requested point will not work however often it is retried: history lost, or any
     * other refusal by the server that is not labelled resumable (a token it cannot read, for one). Network errors,
     * timeouts and elections are not of this kind: a cursor resumes after them.
     */
    public static boolean cannotResume(Throwable failure) {
        if (historyLost(failure)) {
            return true;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof MongoServerException server) {
                return !server.hasErrorLabel(RESUMABLE) && !RESUMABLE_CODES.contains(server.getCode());
            }
        }
        return false;
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
