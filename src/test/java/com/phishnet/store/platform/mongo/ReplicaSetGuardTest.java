package com.phishnet.store.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.mongodb.MongoTimeoutException;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * What the startup check reports when the driver could not select a server, from what each host of the
 * connection string said over a direct connection ({@code hello} replies as real servers send them).
 */
class ReplicaSetGuardTest {

    private static final Document STANDALONE = Document.parse("{isWritablePrimary: true, maxWireVersion: 25, ok: 1}");
    private static final Document UNINITIATED = Document.parse(
            "{isWritablePrimary: false, secondary: false, isreplicaset: true, info: 'Does not have a valid replica set config', ok: 1}");
    private static final Document MONGOS = Document.parse("{isWritablePrimary: true, msg: 'isdbgrid', ok: 1}");

    private final MongoTimeoutException timeout = new MongoTimeoutException("Timed out after 5000 ms");

    @Test
    void aStandaloneBehindAReplicaSetUriIsReportedAsStandalone() {
        RuntimeException explained = explain("rs0", SeedProbe.answered("db:27017", STANDALONE));

        assertThat(explained).isInstanceOf(ReplicaSetRequiredException.class).hasMessageContaining("db:27017 is a standalone");
        assertThat(((ReplicaSetRequiredException) explained).topology()).isEqualTo(Topology.STANDALONE);
    }

    @Test
    void standalonesAmongSeveralHostsAreNamedEvenIfOthersAreDown() {
        RuntimeException explained = explain(null, SeedProbe.answered("a:27017", STANDALONE),
                SeedProbe.unreachable("b:27017", "ConnectException: Connection refused"),
                SeedProbe.answered("c:27017", STANDALONE));

        assertThat(((ReplicaSetRequiredException) explained).hosts()).isEqualTo("a:27017,c:27017");
    }

    @Test
    void anUninitiatedMemberIsReportedAsSuch() {
        RuntimeException explained = explain("rs0", SeedProbe.answered("db:27017", UNINITIATED));

        assertThat(((ReplicaSetRequiredException) explained).topology()).isEqualTo(Topology.UNINITIATED_REPLICA_SET);
    }

    @Test
    void aMongosBehindAReplicaSetUriIsToldToDropTheOption() {
        RuntimeException explained = explain("rs0", SeedProbe.answered("router:27017", MONGOS));

        assertThat(explained).isInstanceOf(MongoMisconfiguredException.class).hasMessageContaining("mongos router");
        assertThat(((MongoMisconfiguredException) explained).action()).contains("Remove the replicaSet option");
    }

    @Test
    void routersMixedWithMembersAreNamed() {
        RuntimeException explained = explain(null, SeedProbe.answered("router:27017", MONGOS),
                SeedProbe.answered("a:27017", member("rs0", "a:27017")));

        assertThat(explained).hasMessageContaining("mixes mongos routers (router:27017)");
    }

    @Test
    void aMemberOfAnotherSetNamesTheSetItBelongsTo() {
        RuntimeException explained = explain("rs0", SeedProbe.answered("a:27017", member("prod", "a:27017")));

        assertThat(explained).hasMessageContaining("belongs to replica set 'prod'").hasMessageContaining("replicaSet=rs0");
        assertThat(((MongoMisconfiguredException) explained).action()).startsWith("Set replicaSet=prod");
    }

    @Test
    void membersOfTwoSetsInOneUriAreReported() {
        RuntimeException explained = explain(null, SeedProbe.answered("a:27017", member("one", "a:27017")),
                SeedProbe.answered("b:27017", member("two", "b:27017")));

        assertThat(explained).hasMessageContaining("b:27017 belongs to replica set 'two'");
    }

    @Test
    void aMemberKnownByUnreachableNamesPointsAtTheSetConfiguration() {
        RuntimeException explained = explain("rs0", SeedProbe.answered("localhost:27017", member("rs0", "mongo1:27017")));

        assertThat(explained).hasMessageContaining("[mongo1:27017]");
        assertThat(((MongoMisconfiguredException) explained).action()).contains("rs.conf()", "directConnection=true");
    }

    @Test
    void aSetWithoutPrimarySaysSo() {
        Document secondary = Document.parse("{isWritablePrimary: false, secondary: true, setName: 'rs0', hosts: ['a:27017','b:27017'], ok: 1}");

        RuntimeException explained = explain("rs0", SeedProbe.answered("a:27017", secondary));

        assertThat(explained).hasMessageContaining("no primary at the moment");
    }

    @Test
    void unreachableHostsAreListedWithTheirReasons() {
        RuntimeException explained = explain("rs0", SeedProbe.unreachable("a:27017", "ConnectException: Connection refused"),
                SeedProbe.unreachable("b:27017", "UnknownHostException: b"));

        assertThat(explained).hasMessage("No MongoDB server answered: a:27017 (ConnectException: Connection refused);"
                + " b:27017 (UnknownHostException: b).");
    }

    @Test
    void withNothingProbedTheTimeoutStands() {
        assertThat(ReplicaSetGuard.explainTimeout(List.of(), "rs0", timeout)).isSameAs(timeout);
    }

    private RuntimeException explain(String requiredSetName, SeedProbe... probes) {
        return ReplicaSetGuard.explainTimeout(List.of(probes), requiredSetName, timeout);
    }

    private static Document member(String setName, String host) {
        return new Document("isWritablePrimary", true).append("setName", setName).append("hosts", List.of(host))
                .append("primary", host).append("me", host).append("ok", 1);
    }
}
