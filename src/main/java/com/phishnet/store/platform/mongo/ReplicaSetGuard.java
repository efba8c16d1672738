package com.phishnet.store.platform.mongo;

import java.time.Duration;

import java.util.List;

import com.mongodb.MongoTimeoutException;
import com.mongodb.connection.ServerDescription;
import com.mongodb.connection.ServerType;
import com.mongodb.reactivestreams.client.MongoClient;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Refuses to start the service on a MongoDB that cannot run transactions. Runs while the context starts,
 * before migrations and before the web server accepts a request.
 */
@Component(ReplicaSetGuard.BEAN_NAME)
public class ReplicaSetGuard implements InitializingBean {

    public static final String BEAN_NAME = "replicaSetGuard";

    private static final Logger log = LoggerFactory.getLogger(ReplicaSetGuard.class);

    private final MongoClient client;
    private final StoreMongoProperties properties;

    public ReplicaSetGuard(MongoClient client, StoreMongoProperties properties) {
        this.client = client;
        this.properties = properties;
    }

    @Override
    public void afterPropertiesSet() {
        // Startup is the one place where waiting is right: nothing may run before the check passes.
        Document hello;
        try {
            hello = hello(client).block(properties.serverSelectionTimeout().plus(Duration.ofSeconds(5)));
        }
        catch (MongoTimeoutException timeout) {
            throw explainTimeout(client, timeout);
        }
        Topology topology = Topology.of(hello);
        if (!topology.supportsTransactions()) {
            throw new ReplicaSetRequiredException(topology, hosts(client));
        }
        log.info("MongoDB topology: {} (replica set '{}')", topology, hello.getString("setName"));
    }

    static Mono<Document> hello(MongoClient client) {
        return Mono.from(client.getDatabase("admin").runCommand(new Document("hello", 1)));
    }

    /**
     * With a replica-set URI the driver never selects a standalone server or an uninitiated member, so the
     * check times out; what the driver saw of the servers still tells the real reason.
     */
    static RuntimeException explainTimeout(MongoClient client, MongoTimeoutException timeout) {
        return explainTimeout(client.getClusterDescription().getServerDescriptions().stream()
                .map(ServerDescription::getType).toList(), hosts(client), timeout);
    }

    static RuntimeException explainTimeout(List<ServerType> seen, String hosts, MongoTimeoutException timeout) {
        if (seen.contains(ServerType.REPLICA_SET_GHOST)) {
            return new ReplicaSetRequiredException(Topology.UNINITIATED_REPLICA_SET, hosts);
        }
        if (seen.contains(ServerType.STANDALONE)) {
            return new ReplicaSetRequiredException(Topology.STANDALONE, hosts);
        }
        return timeout;
    }

    private static String hosts(MongoClient client) {
        return client.getClusterDescription().getServerDescriptions().stream()
                .map(server -> server.getAddress().toString())
                .reduce((left, right) -> left + "," + right)
                .orElse("the configured address");
    }
}
