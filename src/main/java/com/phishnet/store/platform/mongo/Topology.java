package com.phishnet.store.platform.mongo;

import org.bson.Document;

/**
 * What kind of server a {@code hello} reply describes, and whether the service can run on it:
 * multi-document transactions and change streams exist only on replica sets and sharded clusters.
 */
public enum Topology {

    REPLICA_SET_MEMBER(true),
    SHARDED_CLUSTER_ROUTER(true),
    /** Started with {@code --replSet} but never initiated: it has no primary until someone runs rs.initiate(). */
    UNINITIATED_REPLICA_SET(false),
    STANDALONE(false);

    private final boolean supportsTransactions;

    Topology(boolean supportsTransactions) {
        this.supportsTransactions = supportsTransactions;
    }

    public boolean supportsTransactions() {
        return supportsTransactions;
    }

    /** Reads the fields of a {@code hello} reply that tell the server kinds apart. */
    public static Topology of(Document hello) {
        if ("isdbgrid".equals(hello.getString("msg"))) {
            return SHARDED_CLUSTER_ROUTER;
        }
        if (hello.getString("setName") != null) {
            return REPLICA_SET_MEMBER;
        }
        if (Boolean.TRUE.equals(hello.getBoolean("isreplicaset"))) {
            return UNINITIATED_REPLICA_SET;
        }
        return STANDALONE;
    }
}
