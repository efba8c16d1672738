package com.phishnet.store.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class ReplicaSetHealthIndicatorTest {

    @Test
    void upWithTheSetNameAndPrimaryWhenThereIsAPrimary() {
        Health health = describe("{setName: 'rs0', primary: 'm1:27017', hosts: ['m1:27017', 'm2:27017'], isWritablePrimary: false}");

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("replicaSet", "rs0").containsEntry("primary", "m1:27017");
        assertThat(health.getDetails().get("members")).asList().containsExactly("m1:27017", "m2:27017");
    }

    @Test
    void downWhileTheSetHasNoPrimary() {
        Health health = describe("{setName: 'rs0', hosts: ['m1:27017'], isWritablePrimary: false, secondary: true}");

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    }

    @Test
    void downOnAStandaloneServer() {
        Health health = describe("{isWritablePrimary: true}");

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("topology", "STANDALONE");
    }

    private static Health describe(String hello) {
        return ReplicaSetHealthIndicator.describe(Document.parse(hello), Health.unknown()).build();
    }
}
