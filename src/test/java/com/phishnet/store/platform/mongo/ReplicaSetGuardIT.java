package com.phishnet.store.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;

import com.mongodb.ConnectionString;
import reactor.core.publisher.Mono;
import org.bson.Document;
import com.mongodb.MongoClientSettings;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.phishnet.store.support.RealMongo;
import com.phishnet.store.support.RequiresRealMongo;
import org.junit.jupiter.api.Test;

/**
 * The startup check against real servers: it passes on a replica set, and names a standalone server as such
 * however the connection string points at it. With a replica-set name or several hosts the driver drops a
 * standalone from its view, so before the seed probe those forms ended in a bare server-selection timeout.
 */
@RequiresRealMongo
class ReplicaSetGuardIT {

    @Test
    void acceptsAReplicaSet() {
        ConnectionString replicaSet = new ConnectionString(RealMongo.find().orElseThrow().uri());

        assertThatCode(() -> guard(replicaSet)).doesNotThrowAnyException();
    }

    @Test
    void refusesAStandaloneServerReachedWithASingleHostUri() {
        assertRefusedAsStandalone("mongodb://" + standaloneAddress() + "/phishnet");
    }

    @Test
    void refusesAStandaloneServerReachedWithDirectConnection() {
        assertRefusedAsStandalone("mongodb://" + standaloneAddress() + "/phishnet?directConnection=true");
    }

    @Test
    void refusesAStandaloneServerBehindAReplicaSetName() {
        assertRefusedAsStandalone("mongodb://" + standaloneAddress() + "/phishnet?replicaSet=rs0");
    }

    @Test
    void refusesStandaloneServersListedAsSeveralHosts() {
        assertRefusedAsStandalone("mongodb://" + standaloneAddress() + "," + standaloneAddress() + "/phishnet");
    }

    @Test
    void namesTheRealSetWhenTheUriAsksForAnother() {
        ConnectionString real = new ConnectionString(RealMongo.find().orElseThrow().uri());
        assumeTrue(real.getCredential() == null && !real.isSrvProtocol(), "rebuilding this MONGODB_URI would drop its settings");
        // Asked of the server: a harness URI need not name its set (Testcontainers' does not).
        String realName = setNameOf(real.getHosts().get(0));
        ConnectionString wrongName = new ConnectionString("mongodb://" + String.join(",", real.getHosts())
                + "/phishnet?replicaSet=not-" + realName);

        assertThatThrownBy(() -> guard(wrongName))
                .isInstanceOf(MongoMisconfiguredException.class)
                .hasMessageContaining("belongs to replica set '" + realName + "'");
    }

    private static String setNameOf(String host) {
        try (MongoClient direct = MongoClients.create("mongodb://" + host + "/?directConnection=true")) {
            String name = Mono.from(direct.getDatabase("admin").runCommand(new Document("hello", 1))).block()
                    .getString("setName");
            assertThat(name).as("the harness server is a replica-set member").isNotBlank();
            return name;
        }
    }

    private static void assertRefusedAsStandalone(String uri) {
        assertThatThrownBy(() -> guard(new ConnectionString(uri)))
                .isInstanceOf(ReplicaSetRequiredException.class)
                .hasMessageContaining("standalone server")
                .hasMessageContaining("needs a replica set")
                .satisfies(failure -> assertThat(((ReplicaSetRequiredException) failure).topology())
                        .isEqualTo(Topology.STANDALONE));
    }

    /** host:port of a fresh standalone server, when this MongoDB source can start one. */
    private static String standaloneAddress() {
        var standalone = RealMongo.find().orElseThrow().standalone();
        assumeTrue(standalone.isPresent(), "this MongoDB source (MONGODB_URI) cannot start a standalone server");
        return standalone.get().getHosts().get(0);
    }

    private static void guard(ConnectionString connectionString) {
        try (MongoClient client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(connectionString)
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(3, java.util.concurrent.TimeUnit.SECONDS))
                .build())) {
            new ReplicaSetGuard(client, properties(), () -> connectionString).afterPropertiesSet();
        }
    }

    private static StoreMongoProperties properties() {
        Duration threeSeconds = Duration.ofSeconds(3);
        return new StoreMongoProperties(threeSeconds, threeSeconds, Duration.ofSeconds(30), 10, 0, threeSeconds,
                threeSeconds, threeSeconds, null);
    }
}
