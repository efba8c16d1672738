package com.phishnet.store.platform.mongo.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.phishnet.store.support.AppOnRealMongo;
import com.phishnet.store.support.RealMongo;
import com.phishnet.store.support.RequiresRealMongo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * The application configured the Spring way ({@code spring.mongodb.uri}), with the embedded launcher left at
 * its default: it must use that server. Before the fix the launcher looked only at MONGODB_URI, started a local
 * mongod and wrote there.
 */
@RequiresRealMongo
@ActiveProfiles("local")
@SpringBootTest(properties = "phishnet.mongo.embedded.data-directory=target/test-data/configured-uri-it/mongodb")
class ConfiguredUriIT {

    private static final String DATABASE = RealMongo.newDatabaseName();
    private static final Path EMBEDDED_DATA = Path.of("target/test-data/configured-uri-it/mongodb");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", () -> RealMongo.find().orElseThrow().uri());
        registry.add("spring.mongodb.database", () -> DATABASE);
        registry.add("phishnet.crypto.dev-keys", () -> "true");
        registry.add("phishnet.crypto.dev-secrets-file", () -> "target/test-data/it-dev-secrets.properties");
        registry.add("spring.data.redis.url", () -> "redis://127.0.0.1:1");
    }

    @Autowired
    ApplicationContext context;

    @AfterAll
    static void dropDatabase(@Autowired MongoClient client) {
        AppOnRealMongo.drop(client, DATABASE);
    }

    @Test
    void launchesNoLocalMongod() {
        assertThat(context.getBeanProvider(EmbeddedMongod.class).getIfAvailable()).isNull();
        assertThat(Files.exists(EMBEDDED_DATA)).isFalse();
    }

    @Test
    void migratesTheConfiguredServer() {
        // Asked through a client of the test's own: the application's client would follow the launcher if it came back.
        try (MongoClient independent = MongoClients.create(RealMongo.find().orElseThrow().uri())) {
            StepVerifier.create(Flux.from(independent.getDatabase(DATABASE).listCollectionNames()).collectList())
                    .assertNext(names -> assertThat(names).contains("mongockChangeLog"))
                    .verifyComplete();
        }
    }
}
