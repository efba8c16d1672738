package com.phishnet.store.platform.mongo;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Optional;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.phishnet.store.support.RealMongo;
import com.phishnet.store.support.RequiresRealMongo;
import org.junit.jupiter.api.Test;

/** The startup check against real servers: it passes on a replica set and refuses a standalone mongod. */
@RequiresRealMongo
class ReplicaSetGuardIT {

    @Test
    void acceptsAReplicaSet() {
        try (MongoClient client = client(new ConnectionString(RealMongo.find().orElseThrow().uri()))) {
            assertThatCode(() -> new ReplicaSetGuard(client, properties()).afterPropertiesSet()).doesNotThrowAnyException();
        }
    }

    @Test
    void refusesAStandaloneServer() {
        Optional<ConnectionString> standalone = RealMongo.find().orElseThrow().standalone();
        assumeTrue(standalone.isPresent(), "this MongoDB source (MONGODB_URI) cannot start a standalone server");

        try (MongoClient client = client(standalone.get())) {
            assertThatThrownBy(() -> new ReplicaSetGuard(client, properties()).afterPropertiesSet())
                    .isInstanceOf(ReplicaSetRequiredException.class)
                    .hasMessageContaining("standalone server")
                    .hasMessageContaining("needs a replica set");
        }
    }

    private static MongoClient client(ConnectionString connectionString) {
        return MongoClients.create(MongoClientSettings.builder().applyConnectionString(connectionString).build());
    }

    private static StoreMongoProperties properties() {
        Duration fiveSeconds = Duration.ofSeconds(5);
        return new StoreMongoProperties(fiveSeconds, fiveSeconds, Duration.ofSeconds(30), 10, 0, fiveSeconds,
                fiveSeconds, fiveSeconds, null);
    }
}
