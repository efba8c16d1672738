package com.phishnet.store.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.mongodb.ServerAddress;
import com.mongodb.connection.ClusterId;
import com.mongodb.connection.ConnectionPoolSettings;
import com.mongodb.connection.ServerId;
import com.mongodb.event.ConnectionPoolCreatedEvent;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.mongodb.DefaultMongoConnectionPoolTagsProvider;
import org.junit.jupiter.api.Test;

/** Driver metrics keep pools apart without naming the database hosts. */
class MongoMetricsTagsTest {

    @Test
    void poolTagsNameNoHostPortOrCluster() {
        List<Tag> tags = pool("db-1.internal.example", 27017);

        assertThat(tags).extracting(Tag::getKey).doesNotContain("server.address", "cluster.id").contains("server");
        assertThat(tags).extracting(Tag::getValue).noneMatch(value -> value.contains("db-1") || value.contains("27017"));
    }

    @Test
    void poolsOfDifferentServersStayApart() {
        assertThat(pool("db-1.internal.example", 27017)).isNotEqualTo(pool("db-2.internal.example", 27017));
    }

    @Test
    void commandTagsDropTheAddresses() {
        assertThat(MongoMetricsTags.withoutAddresses(List.of(Tag.of("command", "find"),
                Tag.of("server.address", "db-1:27017"), Tag.of("cluster.id", "abc"), Tag.of("status", "SUCCESS"))))
                .containsExactly(Tag.of("command", "find"), Tag.of("status", "SUCCESS"));
    }

    private static List<Tag> pool(String host, int port) {
        ConnectionPoolCreatedEvent event = new ConnectionPoolCreatedEvent(
                new ServerId(new ClusterId("c1"), new ServerAddress(host, port)), ConnectionPoolSettings.builder().build());
        return MongoMetricsTags.poolTags(new DefaultMongoConnectionPoolTagsProvider().connectionPoolTags(event), event);
    }
}
