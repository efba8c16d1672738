package com.phishnet.store.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoTimeoutException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

class MongoStartupFailureAnalyzerTest {

    private final MongoStartupFailureAnalyzer analyzer = new MongoStartupFailureAnalyzer();

    @Test
    void explainsAStandaloneServerAndHowToConvertIt() {
        FailureAnalysis analysis = analyzer.analyze(wrapped(new ReplicaSetRequiredException(Topology.STANDALONE, "db:27017")));

        assertThat(analysis.getDescription()).contains("db:27017", "standalone", "transactions", "change streams");
        assertThat(analysis.getAction()).contains("--replSet", "rs.initiate()", "MONGODB_URI", "docker compose up", "mongod");
    }

    @Test
    void tellsToInitiateAReplicaSetThatWasNeverInitiated() {
        FailureAnalysis analysis = analyzer.analyze(
                wrapped(new ReplicaSetRequiredException(Topology.UNINITIATED_REPLICA_SET, "db:27017")));

        assertThat(analysis.getAction()).startsWith("Initiate the replica set");
    }

    @Test
    void namesTheThreeWaysOutWhenNoMongoDbCanBeHad() {
        FailureAnalysis analysis = analyzer.analyze(wrapped(new MongoUnavailableException("download failed", null)));

        assertThat(analysis.getDescription()).isEqualTo("download failed");
        assertThat(analysis.getAction()).contains("MONGODB_URI", "docker compose up", "MONGOD_BINARY");
    }

    @Test
    void shortensTheDriverTimeoutToItsFirstSentence() {
        MongoTimeoutException timeout = new MongoTimeoutException(
                "Timed out after 5000 ms while waiting for a server. Client view of cluster state is {...}");

        FailureAnalysis analysis = analyzer.analyze(wrapped(timeout));

        assertThat(analysis.getDescription()).endsWith("waiting for a server.").doesNotContain("Client view");
    }

    @Test
    void leavesOtherFailuresToSpringBoot() {
        assertThat(analyzer.analyze(new IllegalStateException("unrelated"))).isNull();
    }

    private static Throwable wrapped(Throwable cause) {
        return new BeanCreationException("replicaSetGuard", "startup failed", cause);
    }
}
