package com.phishnet.store.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The startup check's decision for each server type, from real {@code hello} reply shapes. */
class TopologyTest {

    @Test
    void aReplicaSetPrimarySupportsTransactions() {
        Document hello = Document.parse("{isWritablePrimary: true, setName: 'rs0', primary: 'a:27017', hosts: ['a:27017'], ok: 1}");

        assertThat(Topology.of(hello)).isEqualTo(Topology.REPLICA_SET_MEMBER);
        assertThat(Topology.of(hello).supportsTransactions()).isTrue();
    }

    @Test
    void aReplicaSetSecondaryIsStillAReplicaSet() {
        Document hello = Document.parse("{isWritablePrimary: false, secondary: true, setName: 'rs0', primary: 'a:27017', ok: 1}");

        assertThat(Topology.of(hello)).isEqualTo(Topology.REPLICA_SET_MEMBER);
    }

    @Test
    void aShardedClusterRouterSupportsTransactions() {
        Document hello = Document.parse("{isWritablePrimary: true, msg: 'isdbgrid', ok: 1}");

        assertThat(Topology.of(hello)).isEqualTo(Topology.SHARDED_CLUSTER_ROUTER);
        assertThat(Topology.of(hello).supportsTransactions()).isTrue();
    }

    @Test
    void aStandaloneServerIsRefused() {
        Document hello = Document.parse("{isWritablePrimary: true, maxWireVersion: 25, ok: 1}");

        assertThat(Topology.of(hello)).isEqualTo(Topology.STANDALONE);
        assertThat(Topology.of(hello).supportsTransactions()).isFalse();
    }

    @Test
    void aReplicaSetMemberThatWasNeverInitiatedIsRefused() {
        Document hello = Document.parse("{isWritablePrimary: false, secondary: false, isreplicaset: true, ok: 1}");

        assertThat(Topology.of(hello)).isEqualTo(Topology.UNINITIATED_REPLICA_SET);
        assertThat(Topology.of(hello).supportsTransactions()).isFalse();
    }
}
