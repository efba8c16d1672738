package com.phishnet.store.platform.mongo;

import com.mongodb.MongoException;
import com.mongodb.MongoServerException;

/** Recognises a duplicate-key error by the unique index it hit, through Spring's exception translation. */
public final class DuplicateKeys {

    private static final int DUPLICATE_KEY = 11000;

    private DuplicateKeys() {
    }

    /** Whether the failure, or one of its causes, is a duplicate key on the named index. */
    public static boolean onIndex(Throwable failure, String indexName) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            // The server names the index in the message ("... index: <name> dup key: ..."), not in a field.
            if (cause instanceof MongoServerException server && server.getCode() == DUPLICATE_KEY
                    && String.valueOf(server.getMessage()).contains("index: " + indexName + " ")) {
                return true;
            }
        }
        return false;
    }

    /**
     * A duplicate key from two transactions racing for the same document, labelled transient like the write conflict
     * the server usually reports for it, so {@link Transactions} re-runs the whole unit (which then finds the winner's
     * document). Only for units that are safe to re-run.
     */
    public static MongoException asTransient(Throwable lostRace, String what) {
        MongoException transientFailure = new MongoException(what, lostRace);
        transientFailure.addLabel(MongoException.TRANSIENT_TRANSACTION_ERROR_LABEL);
        return transientFailure;
    }
}
