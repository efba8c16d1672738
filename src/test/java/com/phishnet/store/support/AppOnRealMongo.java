package com.phishnet.store.support;

import com.mongodb.reactivestreams.client.MongoClient;

import org.springframework.test.context.DynamicPropertyRegistry;
import reactor.core.publisher.Mono;

/** Points the whole application at the real replica set of the integration tier, in a database of its own. */
public final class AppOnRealMongo {

    private AppOnRealMongo() {
    }

    /**
     * Local-profile secrets, no embedded launcher, and a Redis address where nothing listens. The test class must
     * carry {@code @ActiveProfiles("local")} for the development token endpoint ({@link DevTokens}): a profile
     * cannot be switched on from a dynamic property.
     */
    public static void register(DynamicPropertyRegistry registry, String database) {
        register(registry, database, false);
    }

    /**
     * As above; {@code metricsSeries} switches the service-metrics recorder on. Off by default: a cached context
     * outlives the database its class drops, and a recorder would create that database again, with a plain
     * {@code system_metrics}.
     */
    public static void register(DynamicPropertyRegistry registry, String database, boolean metricsSeries) {
        registry.add("phishnet.metrics.series.enabled", () -> String.valueOf(metricsSeries));
        registry.add("phishnet.mongo.embedded.enabled", () -> "false");
        registry.add("spring.mongodb.uri", () -> RealMongo.find().orElseThrow().uri());
        registry.add("spring.mongodb.database", () -> database);
        registry.add("phishnet.crypto.dev-keys", () -> "true");
        registry.add("phishnet.crypto.dev-secrets-file", () -> "target/test-data/it-dev-secrets.properties");
        // Nothing listens here: the service must start and answer without its cache.
        registry.add("spring.data.redis.url", () -> "redis://127.0.0.1:1");
    }

    public static void drop(MongoClient client, String database) {
        Mono.from(client.getDatabase(database).drop()).block();
    }
}
