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
    void onAMongosWithEveryKeyInPlaceItOnlyReadsTheClusterCatalog() {
        ActionRecorder router = routerWithEveryKey();

        new V019_ShardKeys().apply(router.database(), router.client());

        assertThat(commandNames(router)).containsExactly("hello");
        assertThat(router.catalogReads()).isEqualTo(1);
        assertThat(router.configReads()).isEmpty();
        assertThat(router.indexes()).isEmpty();
        assertThat(router.unknownCalls()).isEmpty();
        // $listClusterCatalog on the service database needs listCollections only, which dbAdmin and readWrite grant.
        assertThat(router.actions()).containsExactly("listCollections");
        assertThat(MigrationPrivileges.grantedBy(MigrationPrivileges.MIGRATOR_ROLES)).contains("listCollections");
    }

    @Test
    void beforeMongoDb8010WithoutTheCatalogStageItReadsConfigCollections() {
        ActionRecorder router = routerWithEveryKey().catalogStage(ActionRecorder.CatalogStage.UNKNOWN);

        new V019_ShardKeys().apply(router.database(), router.client());

        assertThat(commandNames(router)).containsExactly("hello");
        assertThat(router.configReads()).containsExactlyElementsOf(namespaces());
        assertThat(router.indexes()).isEmpty();
    }

    @Test
    void aCatalogAnswerOfShardedWithoutItsKeyFallsBackToConfigCollections() {
        ActionRecorder router = routerWithEveryKey().catalogStage(ActionRecorder.CatalogStage.SHARDED_WITHOUT_KEY);

        new V019_ShardKeys().apply(router.database(), router.client());

        // Read from config.collections, every key is in place: no privilege check, no shardCollection.
        assertThat(commandNames(router)).containsExactly("hello");
        assertThat(router.configReads()).containsExactlyElementsOf(namespaces());
        assertThat(router.indexes()).isEmpty();
    }

    @Test
    void theCatalogStageRefusedWithUnauthorizedFallsBackToConfigCollections() {
        ActionRecorder router = routerWithEveryKey().catalogStage(ActionRecorder.CatalogStage.REFUSED);

        new V019_ShardKeys().apply(router.database(), router.client());

        assertThat(commandNames(router)).containsExactly("hello");
        assertThat(router.configReads()).containsExactlyElementsOf(namespaces());
    }

    @Test
    void bothReadsRefusedWithUnauthorizedLeaveTheKeysToShardCollection() {
        ActionRecorder router = routerWithEveryKey().catalogStage(ActionRecorder.CatalogStage.REFUSED).configRefused();

        new V019_ShardKeys().apply(router.database(), router.client());

        // The first refused config read is the last one; then the pre-8.0.10 behaviour: privilege check, then one
        // shardCollection per collection (which a server answers as done for the same key).
        assertThat(router.configReads()).hasSize(1);
        assertThat(commandNames(router)).startsWith("hello", "connectionStatus");
        assertThat(router.commands()).extracting(command -> command.getString("shardCollection"))
                .filteredOn(namespace -> namespace != null).containsExactlyElementsOf(namespaces());
        assertThat(router.unknownCalls()).isEmpty();
    }

    @Test
    void alreadyInitializedIsReportedAsAnotherKeyOrOtherOptions() {
        ActionRecorder router = new ActionRecorder(List.of(), true).catalogStage(ActionRecorder.CatalogStage.REFUSED)
                .configRefused().refuseShardCollection(ActionRecorder.refusal(V019_ShardKeys.ALREADY_INITIALIZED,
                        "AlreadyInitialized", "collection already sharded with different options"));

        assertThatThrownBy(() -> new V019_ShardKeys().apply(router.database(), router.client()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("another key, or other unique/collation options")
                .hasMessageContaining("different options");
    }

    @Test
    void aKeyRecordedWithDoubleOrLongValuesIsTheCatalogKey() {
        ActionRecorder router = new ActionRecorder(List.of(), true);
        ShardKeys.sharded().forEach(entry -> {
            Document recorded = new Document();
            entry.key().forEach((field, value) -> recorded.append(field,
                    value instanceof Number ? (Object) Double.valueOf(1.0) : value));
            router.shardedOn("recorded." + entry.collection(), recorded);
        });

        new V019_ShardKeys().apply(router.database(), router.client());

        assertThat(commandNames(router)).containsExactly("hello");
    }

    @Test
    void aKeyWithTheCatalogFieldsInAnotherOrderIsAnotherKey() {
        ActionRecorder router = routerWithEveryKey();
        ShardKeys.Entry scans = ShardKeys.of(com.phishnet.store.scans.ScanFields.COLLECTION).orElseThrow();
        List<String> fields = new java.util.ArrayList<>(scans.fields());
        java.util.Collections.reverse(fields);
        Document reversed = new Document();
        fields.forEach(field -> reversed.append(field, 1));
        router.shardedOn("recorded." + scans.collection(), reversed);

        assertThatThrownBy(() -> new V019_ShardKeys().apply(router.database(), router.client()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("recorded." + scans.collection() + " is sharded on " + reversed.toJson());
        assertThat(commandNames(router)).containsExactly("hello");
    }

    @Test
    void keysAreComparedInOrderAndNumerically() {
        Document catalog = new Document("tenantId", 1).append("seq", 1);

        assertThat(V019_ShardKeys.sameKey(new Document("tenantId", 1.0).append("seq", 1L), catalog)).isTrue();
        assertThat(V019_ShardKeys.sameKey(new Document("seq", 1).append("tenantId", 1), catalog)).isFalse();
        assertThat(V019_ShardKeys.sameKey(new Document("tenantId", 1).append("seq", "hashed"), catalog)).isFalse();
        assertThat(V019_ShardKeys.sameKey(new Document("tenantId", 1), catalog)).isFalse();
        assertThat(V019_ShardKeys.sameKey(new Document("_id", "hashed"), new Document("_id", "hashed"))).isTrue();
        // Sanity: Document.equals, which V019 used before, gets both cases wrong.
        assertThat(new Document("seq", 1).append("tenantId", 1)).isEqualTo(catalog);
        assertThat(new Document("tenantId", 1.0).append("seq", 1)).isNotEqualTo(catalog);
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

    private static ActionRecorder routerWithEveryKey() {
        ActionRecorder router = new ActionRecorder(List.of(), true);
        ShardKeys.sharded().forEach(entry -> router.shardedOn("recorded." + entry.collection(), entry.key()));
        return router;
    }

    private static List<String> namespaces() {
        return ShardKeys.sharded().stream().map(entry -> "recorded." + entry.collection()).toList();
    }

    private static List<String> commandNames(ActionRecorder recorder) {
        return recorder.commands().stream().map(command -> command.keySet().iterator().next()).toList();
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
