package com.phishnet.store.platform.mongo;

import java.util.ArrayList;
import java.util.List;

import com.mongodb.event.CommandEvent;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.event.ConnectionPoolCreatedEvent;
import com.phishnet.store.platform.crypto.Sha256;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.mongodb.DefaultMongoCommandTagsProvider;
import io.micrometer.core.instrument.binder.mongodb.DefaultMongoConnectionPoolTagsProvider;
import io.micrometer.core.instrument.binder.mongodb.MongoCommandTagsProvider;
import io.micrometer.core.instrument.binder.mongodb.MongoConnectionPoolTagsProvider;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * MongoDB driver metrics without the database's network addresses. Micrometer's default tags carry
 * {@code server.address} (host:port) and {@code cluster.id}; commands are aggregated over the servers instead,
 * and each connection pool is labelled by an opaque digest of its address, so pools stay apart without naming
 * hosts. Replaces Boot's default providers (they are conditional on no such bean).
 */
@Configuration(proxyBeanMethods = false)
public class MongoMetricsTags {

    static final String SERVER_ADDRESS = "server.address";
    static final String CLUSTER_ID = "cluster.id";
    static final String SERVER = "server";

    @Bean
    public MongoCommandTagsProvider mongoCommandTagsProvider() {
        DefaultMongoCommandTagsProvider defaults = new DefaultMongoCommandTagsProvider();
        return new MongoCommandTagsProvider() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                // The default provider remembers the collection of each request here.
                defaults.commandStarted(event);
            }

            @Override
            public Iterable<Tag> commandTags(CommandEvent event) {
                return withoutAddresses(defaults.commandTags(event));
            }
        };
    }

    @Bean
    public MongoConnectionPoolTagsProvider mongoConnectionPoolTagsProvider() {
        DefaultMongoConnectionPoolTagsProvider defaults = new DefaultMongoConnectionPoolTagsProvider();
        return event -> poolTags(defaults.connectionPoolTags(event), event);
    }

    static List<Tag> withoutAddresses(Iterable<Tag> tags) {
        List<Tag> kept = new ArrayList<>();
        for (Tag tag : tags) {
            if (!SERVER_ADDRESS.equals(tag.getKey()) && !CLUSTER_ID.equals(tag.getKey())) {
                kept.add(tag);
            }
        }
        return kept;
    }

    static List<Tag> poolTags(Iterable<Tag> defaults, ConnectionPoolCreatedEvent event) {
        List<Tag> tags = withoutAddresses(defaults);
        String address = event.getServerId().getAddress().toString();
        tags.add(Tag.of(SERVER, Sha256.hex(address).substring(0, 12)));
        return tags;
    }
}
