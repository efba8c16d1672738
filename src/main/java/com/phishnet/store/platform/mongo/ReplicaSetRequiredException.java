package com.phishnet.store.platform.mongo;

/** The configured MongoDB cannot run transactions or change streams, so the service refuses to start on it. */
public class ReplicaSetRequiredException extends RuntimeException {

    private final Topology topology;
    private final String hosts;

    public ReplicaSetRequiredException(Topology topology, String hosts) {
        super("MongoDB at " + hosts + " is a " + describe(topology)
                + ", but PhishNet Store needs a replica set: multi-document transactions and change streams"
                + " do not exist on a standalone server.");
        this.topology = topology;
        this.hosts = hosts;
    }

    public Topology topology() {
        return topology;
    }

    public String hosts() {
        return hosts;
    }

    private static String describe(Topology topology) {
        return switch (topology) {
            case UNINITIATED_REPLICA_SET -> "replica-set member without a usable configuration (never initiated, or"
                    + " its configuration does not list it at this address)";
            case STANDALONE -> "standalone server";
            default -> topology.name();
        };
    }
}
