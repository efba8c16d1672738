package com.phishnet.store.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.mongodb.MongoTimeoutException;
import com.mongodb.connection.ServerType;
import org.junit.jupiter.api.Test;

/** What the startup check reports when the driver could not select a server for a replica-set URI. */
class ReplicaSetGuardTest {

    private final MongoTimeoutException timeout = new MongoTimeoutException("Timed out after 5000 ms");

    @Test
    void anUninitiatedMemberIsReportedAsSuch() {
        RuntimeException explained = ReplicaSetGuard.explainTimeout(List.of(ServerType.REPLICA_SET_GHOST), "db:27017", timeout);

        assertThat(explained).isInstanceOf(ReplicaSetRequiredException.class);
        assertThat(((ReplicaSetRequiredException) explained).topology()).isEqualTo(Topology.UNINITIATED_REPLICA_SET);
    }

    @Test
    void aStandaloneServerBehindAReplicaSetUriIsReportedAsSuch() {
        RuntimeException explained = ReplicaSetGuard.explainTimeout(List.of(ServerType.STANDALONE), "db:27017", timeout);

        assertThat(((ReplicaSetRequiredException) explained).topology()).isEqualTo(Topology.STANDALONE);
    }

    @Test
    void anUnreachableServerStaysATimeout() {
        assertThat(ReplicaSetGuard.explainTimeout(List.of(ServerType.UNKNOWN), "db:27017", timeout)).isSameAs(timeout);
    }
}
