package com.phishnet.store.platform.mongo;

import com.mongodb.MongoTimeoutException;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Replaces the stack trace of a MongoDB startup failure with one message that says what is wrong and the
 * ways out. Registered in {@code META-INF/spring.factories}; a {@link MongoMisconfiguredException} carries its own
 * way out and is printed by the generic analyzer of refused configurations.
 */
public class MongoStartupFailureAnalyzer implements FailureAnalyzer {

    static final String WAYS_OUT = """
            Give PhishNet Store a MongoDB replica set in one of three ways:
              1. set MONGODB_URI to a replica set, e.g. MONGODB_URI='mongodb://host1,host2,host3/phishnet?replicaSet=rs0';
              2. run 'docker compose up' in the project directory (a three-member replica set, Redis and the service);
              3. install MongoDB ('mongod' on the PATH, or MONGOD_BINARY=/path/to/mongod) and run './mvnw spring-boot:run'
                 again: the service then starts it as a local single-node replica set.""";

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        ReplicaSetRequiredException replicaSet = find(failure, ReplicaSetRequiredException.class);
        if (replicaSet != null) {
            String fix = replicaSet.topology() == Topology.UNINITIATED_REPLICA_SET
                    ? "Initiate the replica set (mongosh --eval 'rs.initiate()'). If it was initiated before, its"
                            + " configuration does not list it under its current address (check rs.conf() and correct"
                            + " the member's host with rs.reconfig(cfg, {force: true})). Or:\n" + WAYS_OUT
                    : "Convert it to a single-node replica set (restart mongod with --replSet rs0, then run"
                            + " mongosh --eval 'rs.initiate()'), or:\n" + WAYS_OUT;
            return new FailureAnalysis(replicaSet.getMessage(), fix, replicaSet);
        }
        MongoUnavailableException unavailable = find(failure, MongoUnavailableException.class);
        if (unavailable != null) {
            return new FailureAnalysis(unavailable.getMessage(), WAYS_OUT, unavailable);
        }
        MongoTimeoutException timeout = find(failure, MongoTimeoutException.class);
        if (timeout != null) {
            return new FailureAnalysis("No MongoDB server answered in time: " + firstLine(timeout.getMessage()),
                    "Check that the server in MONGODB_URI is running and reachable, or:\n" + WAYS_OUT, timeout);
        }
        return null;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int cut = message.indexOf(". Client view");
        return cut > 0 ? message.substring(0, cut + 1) : message;
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
