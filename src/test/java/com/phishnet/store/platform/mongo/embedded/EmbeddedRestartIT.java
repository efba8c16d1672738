package com.phishnet.store.platform.mongo.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.mongodb.MongoClientSettings;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.phishnet.store.platform.mongo.MongoUnavailableException;
import com.phishnet.store.support.RealMongo;
import com.phishnet.store.support.RequiresRealMongo;
import de.flapdoodle.embed.mongo.distribution.Version;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The embedded replica set restarted on another port with the same data directory. Before the forced
 * reconfiguration the member stayed REMOVED (its configuration named the old port) and the start failed after
 * the whole startup timeout.
 */
@RequiresRealMongo
class EmbeddedRestartIT {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    @Test
    void becomesPrimaryOnTheNewPortWithItsData(@TempDir Path data) throws IOException {
        // A local binary, or the one the launcher downloads (hosted CI has no mongod but has the network).
        Optional<Path> binary = EmbeddedMongod.findLocalBinary();

        try (EmbeddedMongod first = startOrSkip(settings(binary, freePort(), data))) {
            insert(first, new Document("_id", "kept"));
        }
        Instant restart = Instant.now();
        try (EmbeddedMongod second = EmbeddedMongod.start(settings(binary, freePort(), data))) {
            // Well inside the startup timeout: the old behaviour spent all of it and then failed.
            assertThat(Duration.between(restart, Instant.now())).isLessThan(Duration.ofSeconds(45));
            try (MongoClient client = client(second)) {
                StepVerifier.create(Mono.from(client.getDatabase("restart").getCollection("things").find().first()))
                        .assertNext(found -> assertThat(found.getString("_id")).isEqualTo("kept"))
                        .verifyComplete();
            }
        }
    }

    /** Skips where neither a binary nor a download is available, unless the tier is required (CI). */
    private static EmbeddedMongod startOrSkip(EmbeddedMongod.Settings settings) {
        try {
            return EmbeddedMongod.start(settings);
        }
        catch (MongoUnavailableException unavailable) {
            assumeTrue(settings.binary().isPresent() || RealMongo.required(System.getenv()),
                    "no mongod binary and no download: " + unavailable.getMessage());
            throw unavailable;
        }
    }

    private static void insert(EmbeddedMongod mongod, Document document) {
        try (MongoClient client = client(mongod)) {
            Mono.from(client.getDatabase("restart").getCollection("things").insertOne(document)).block();
        }
    }

    private static MongoClient client(EmbeddedMongod mongod) {
        return MongoClients.create(MongoClientSettings.builder().applyConnectionString(mongod.connectionString("restart")).build());
    }

    private static EmbeddedMongod.Settings settings(Optional<Path> binary, int port, Path data) {
        return new EmbeddedMongod.Settings(binary, Version.Main.V8_0, port, data, "rs0", STARTUP_TIMEOUT);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
