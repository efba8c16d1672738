package com.phishnet.store.support;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;
import reactor.core.publisher.Mono;

/** A database of its own for one test, on the real server, dropped when the test ends. */
public final class MongoTestDatabase implements AutoCloseable {

    private final MongoClient client;
    private final String name;

    private MongoTestDatabase(MongoClient client, String name) {
        this.client = client;
        this.name = name;
    }

    public static MongoTestDatabase create() {
        RealMongo server = RealMongo.find().orElseThrow();
        String name = RealMongo.newDatabaseName();
        MongoClient client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(server.uri()))
                .build());
        return new MongoTestDatabase(client, name);
    }

    public MongoClient client() {
        return client;
    }

    public String name() {
        return name;
    }

    public MongoDatabase database() {
        return client.getDatabase(name);
    }

    @Override
    public void close() {
        Mono.from(client.getDatabase(name).drop()).block();
        client.close();
    }
}
