package com.phishnet.store.platform.mongo;

import java.time.Duration;
import java.util.List;

import com.mongodb.reactivestreams.client.MongoClient;
import org.bson.Document;

import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * MongoDB health with the replica-set state: UP only while the set has a primary that accepts writes,
 * because every write the service makes needs one. Replaces Boot's plain ping indicator under the name
 * {@code mongo}.
 */
@Component("mongoHealthIndicator")
public class ReplicaSetHealthIndicator extends AbstractReactiveHealthIndicator {

    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);

    private final MongoClient client;

    public ReplicaSetHealthIndicator(MongoClient client) {
        super("MongoDB health check failed");
        this.client = client;
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        // Without a primary the driver would wait the whole server-selection timeout; health answers sooner.
        return ReplicaSetGuard.hello(client).timeout(HEALTH_TIMEOUT).map(hello -> describe(hello, builder).build());
    }

    /** Health details from a {@code hello} reply; visible for tests. */
    static Health.Builder describe(Document hello, Health.Builder builder) {
        Topology topology = Topology.of(hello);
        String primary = hello.getString("primary");
        boolean writable = Boolean.TRUE.equals(hello.getBoolean("isWritablePrimary"));
        builder.withDetail("topology", topology.name());
        if (hello.getString("setName") != null) {
            builder.withDetail("replicaSet", hello.getString("setName"));
        }
        if (primary != null) {
            builder.withDetail("primary", primary);
        }
        builder.withDetail("members", hello.getList("hosts", String.class, List.of()));
        if (hello.get("maxWireVersion") != null) {
            builder.withDetail("maxWireVersion", hello.get("maxWireVersion"));
        }
        boolean healthy = switch (topology) {
            case SHARDED_CLUSTER_ROUTER -> true;
            case REPLICA_SET_MEMBER -> primary != null || writable;
            default -> false;
        };
        return healthy ? builder.up() : builder.down();
    }
}
