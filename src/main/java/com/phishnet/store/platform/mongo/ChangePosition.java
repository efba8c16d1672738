package com.phishnet.store.platform.mongo;

import org.bson.BsonTimestamp;

/**
 * Where a change stream starts: right after an event (its resume token), or at a cluster time. A cursor that must
 * not miss what happens while it opens, or while it is down before it has read any event, starts at a time taken
 * from the server beforehand.
 */
public record ChangePosition(ResumeToken after, BsonTimestamp at) {

    public ChangePosition {
        if ((after == null) == (at == null)) {
            throw new IllegalArgumentException("a position is either after an event or at a time");
        }
    }

    public static ChangePosition after(ResumeToken token) {
        return new ChangePosition(token, null);
    }

    public static ChangePosition at(BsonTimestamp clusterTime) {
        return new ChangePosition(null, clusterTime);
    }
}
