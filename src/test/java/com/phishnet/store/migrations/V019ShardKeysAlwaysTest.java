package com.phishnet.store.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import io.mongock.api.annotations.ChangeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * V019 runs at every start (Mongock runAlways), so a replica set converted to a sharded cluster gets its shard keys at
 * the first start through a mongos. What a start costs on each topology, without a server ({@link ActionRecorder}).
 */
class V019ShardKeysAlwaysTest {

    @Test
    void runsAtEveryStartOutsideTransactions() {
        ChangeUnit unit = V019_ShardKeys.class.getAnnotation(ChangeUnit.class);

        assertThat(unit.runAlways()).isTrue();
        assertThat(unit.transactional()).isFalse();
        assertThat(unit.id()).isEqualTo("V019-shard-keys");
    }

    @Test
    void onAMongosWithEveryKeyInPlaceItOnlyReadsConfigCollections() {
        ActionRecorder router = new ActionRecorder(List.of(), true);
        ShardKeys.sharded().forEach(entry -> router.shardedOn("recorded." + entry.collection(), entry.key()));

        new V019_ShardKeys().apply(router.database(), router.client());

        assertThat(router.commands()).extracting(command -> command.keySet().iterator().next())
                .containsExactly("hello");
        assertThat(router.configReads()).containsExactlyElementsOf(
                ShardKeys.sharded().stream().map(entry -> "recorded." + entry.collection()).toList());
        assertThat(router.indexes()).isEmpty();
        assertThat(router.unknownCalls()).isEmpty();
    }

    @Test
    void afterAConversionItShardsOnlyTheCollectionsStillWithoutTheirKey() {
        ActionRecorder router = new ActionRecorder(List.of(), true);
        List<ShardKeys.Entry> catalog = ShardKeys.sharded();
        assertThat(catalog).hasSizeGreaterThan(1);
        ShardKeys.Entry applied = catalog.get(0);
        router.shardedOn("recorded." + applied.collection(), applied.key());

        new V019_ShardKeys().apply(router.database(), router.client());

        assertThat(router.commands()).extracting(command -> command.getString("shardCollection"))
                .filteredOn(namespace -> namespace != null)
                .containsExactlyElementsOf(catalog.stream().skip(1)
                        .map(entry -> "recorded." + entry.collection()).toList());
        assertThat(router.commands()).extracting(command -> command.keySet().iterator().next())
                .startsWith("hello", "connectionStatus");
    }

    @Test
    void aCollectionShardedOnAnotherKeyStopsTheStartBeforeAnyChange() {
        ActionRecorder router = new ActionRecorder(List.of(), true);
        ShardKeys.Entry last = ShardKeys.sharded().get(ShardKeys.sharded().size() - 1);
        router.shardedOn("recorded." + last.collection(), new Document("_id", "hashed"));

        assertThatThrownBy(() -> new V019_ShardKeys().apply(router.database(), router.client()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("recorded." + last.collection() + " is sharded on")
                .hasMessageContaining(last.key().toJson())
                .hasMessageContaining("reshardCollection");
        assertThat(router.commands()).extracting(command -> command.keySet().iterator().next())
                .containsExactly("hello");
        assertThat(router.indexes()).isEmpty();
    }
}
