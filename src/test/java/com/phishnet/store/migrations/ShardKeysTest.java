package com.phishnet.store.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.phishnet.store.apikeys.ApiKeyFields;
import com.phishnet.store.scans.FeedbackFields;
import com.phishnet.store.scans.ScanFields;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The shard-key catalog against the rules of sharded clusters, without a server: the change units run against
 * {@link ActionRecorder}, which records every index and every $merge they ask for, so a unique index or a $merge added
 * later is checked too. The rules and their sources are in docs/scaling.md ("Rules audit").
 */
class ShardKeysTest {

    @Test
    void everyCollectionTheMigrationsCreateHasACatalogEntry() throws Exception {
        ActionRecorder recorder = new ActionRecorder(List.of());

        MigrationPrivilegesTest.runEveryChangeUnit(recorder);

        Set<String> catalog = ShardKeys.all().stream().map(ShardKeys.Entry::collection).collect(Collectors.toSet());
        assertThat(catalog).containsAll(recorder.createdCollections());
        // Collections the recorder does not see created (the time series, Mongock's own) are named too.
        assertThat(catalog).contains("system_metrics", ApiKeyFields.COLLECTION, "mongockChangeLog", "mongockLock");
    }

    @Test
    void theCatalogNamesEachCollectionOnceAndGivesEveryEntryAReason() {
        List<String> names = ShardKeys.all().stream().map(ShardKeys.Entry::collection).toList();

        assertThat(new HashSet<>(names)).hasSameSizeAs(names);
        ShardKeys.all().forEach(entry -> assertThat(entry.reason()).as(entry.collection()).isNotBlank());
    }

    @Test
    void everyShardKeyIsTenantFirstWithAtMostOneHashedField() {
        for (ShardKeys.Entry entry : ShardKeys.sharded()) {
            assertThat(entry.fields().get(0)).as(entry.collection()).isEqualTo("tenantId");
            assertThat(entry.key().values().stream().filter("hashed"::equals).count()).as(entry.collection())
                    .isLessThanOrEqualTo(1);
            entry.key().values().forEach(value -> assertThat(value).as(entry.collection()).isIn(1, "hashed"));
        }
    }

    @Test
    void collectionsThatNeedGlobalUniquenessStayUnsharded() {
        assertThat(ShardKeys.of("refresh_tokens").orElseThrow().sharded()).isFalse();
        assertThat(ShardKeys.of(ApiKeyFields.COLLECTION).orElseThrow().sharded()).isFalse();
        assertThat(ShardKeys.of("jobs").orElseThrow().sharded()).isFalse();
        assertThat(ShardKeys.of("leases").orElseThrow().sharded()).isFalse();
    }

    /** Manual, "Shard Key Indexes": on a ranged sharded collection a unique index must start with the whole key. */
    @Test
    void everyUniqueIndexOnAShardedCollectionStartsWithTheWholeShardKey() throws Exception {
        ActionRecorder recorder = new ActionRecorder(List.of());
        MigrationPrivilegesTest.runEveryChangeUnit(recorder);

        List<ActionRecorder.RecordedIndex> unique = recorder.indexes().stream()
                .filter(ActionRecorder.RecordedIndex::unique).toList();

        assertThat(unique).isNotEmpty();
        for (ActionRecorder.RecordedIndex index : unique) {
            ShardKeys.Entry entry = ShardKeys.of(index.collection()).orElseThrow(
                    () -> new AssertionError(index.collection() + " has no catalog entry"));
            assertThat(entry.admitsUniqueIndex(index.keys()))
                    .as("%s.%s %s with shard key %s", index.collection(), index.name(), index.keys().toJson(),
                            entry.key() == null ? "none" : entry.key().toJson())
                    .isTrue();
        }
    }

    @Test
    void theUniqueIndexRuleRefusesAnIndexThatDoesNotStartWithTheKey() {
        ShardKeys.Entry emails = ShardKeys.of("emails_meta").orElseThrow();

        assertThat(emails.admitsUniqueIndex(new Document("tenantId", 1).append("messageId", 1))).isTrue();
        assertThat(emails.admitsUniqueIndex(new Document("tenantId", 1).append("sender", 1))).isFalse();
        assertThat(emails.admitsUniqueIndex(new Document("messageId", 1))).isFalse();
        assertThat(emails.admitsUniqueIndex(new Document("_id", 1))).isTrue();
        ShardKeys.Entry hashed = new ShardKeys.Entry("x", new Document("tenantId", 1).append("k", "hashed"), "test");
        assertThat(hashed.admitsUniqueIndex(new Document("tenantId", 1).append("k", 1))).isFalse();
    }

    /**
     * TTL indexes are allowed on sharded collections (the TTL monitor runs on each shard); today they are all on
     * unsharded collections, which this test records so that a change is noticed and documented.
     */
    @Test
    void theTtlIndexesAreOnTheCollectionsDocumentedInScalingMd() throws Exception {
        ActionRecorder recorder = new ActionRecorder(List.of());
        MigrationPrivilegesTest.runEveryChangeUnit(recorder);

        Set<String> withTtl = recorder.indexes().stream().filter(index -> index.ttlSeconds() != null)
                .map(ActionRecorder.RecordedIndex::collection).collect(Collectors.toCollection(TreeSet::new));

        assertThat(withTtl).containsExactly("refresh_tokens", "reputation_cache", "stream_tickets");
    }

    /**
     * Every sharded collection but scan_results has an index the migrations create that supports its key (neither
     * partial nor sparse); scan_results' only (tenantId, idempotencyKey) index is partial, so V019 adds one.
     */
    @Test
    void onlyScanResultsNeedsASupportingIndexFromV019() throws Exception {
        ActionRecorder recorder = new ActionRecorder(List.of());
        MigrationPrivilegesTest.runEveryChangeUnit(recorder);

        Set<String> unsupported = new TreeSet<>();
        for (ShardKeys.Entry entry : ShardKeys.sharded()) {
            boolean supported = recorder.indexes().stream().anyMatch(index -> index.collection().equals(entry.collection())
                    && !index.partial() && entry.supportedBy(index.keys()));
            if (!supported) {
                unsupported.add(entry.collection());
            }
        }

        assertThat(unsupported).containsExactly(ScanFields.COLLECTION);
        assertThat(V019_ShardKeys.supportingIndex(ShardKeys.of(ScanFields.COLLECTION).orElseThrow()).getKeys()
                .toBsonDocument().toJson()).isEqualTo("{\"tenantId\": 1, \"idempotencyKey\": 1, \"_id\": 1}");
    }

    /**
     * $out cannot replace a sharded collection, and $merge into one needs "on" fields backed by a unique index that
     * holds the shard key (manual, "$merge"; SERVER-111490).
     */
    @Test
    void everyMergeIntoAShardedCollectionMatchesOnAUniqueIndexHoldingTheShardKey() throws Exception {
        ActionRecorder recorder = new ActionRecorder(List.of());
        MigrationPrivilegesTest.runEveryChangeUnit(recorder);

        assertThat(recorder.outputStages()).isNotEmpty();
        for (Document stage : recorder.outputStages()) {
            assertThat(stage).doesNotContainKey("$out");
            Document merge = stage.get("$merge", Document.class);
            ShardKeys.Entry target = ShardKeys.of(merge.getString("into")).orElseThrow();
            if (!target.sharded()) {
                continue;
            }
            Object on = merge.get("on");
            Set<String> onFields = on instanceof String field ? Set.of(field)
                    : new HashSet<>(merge.getList("on", String.class));
            assertThat(onFields).as(merge.toJson()).containsAll(target.fields());
            assertThat(recorder.indexes()).as("a unique index on exactly " + onFields)
                    .anyMatch(index -> index.collection().equals(target.collection()) && index.unique()
                            && index.keys().keySet().equals(onFields));
        }
        assertThat(V017_FeedbackReadBack.MERGE_ON).contains(FeedbackFields.TENANT_ID, FeedbackFields.SCAN_ID);
    }

    @Test
    void onAMongosV019ShardsEveryCatalogCollectionWithItsKey() throws Exception {
        ActionRecorder router = new ActionRecorder(List.of(), true);

        MigrationPrivilegesTest.runEveryChangeUnit(router);

        List<Document> shardCommands = router.commands().stream()
                .filter(command -> command.containsKey("shardCollection")).toList();
        assertThat(shardCommands).extracting(command -> command.getString("shardCollection"))
                .containsExactlyElementsOf(ShardKeys.sharded().stream()
                        .map(entry -> "recorded." + entry.collection()).toList());
        for (ShardKeys.Entry entry : ShardKeys.sharded()) {
            assertThat(shardCommands).anyMatch(command -> command.getString("shardCollection")
                    .equals("recorded." + entry.collection()) && command.get("key", Document.class).equals(entry.key()));
        }
    }

    @Test
    void onAReplicaSetV019OnlyAsksHello() throws Exception {
        ActionRecorder replicaSet = new ActionRecorder(List.of());

        new V019_ShardKeys().apply(replicaSet.database(), replicaSet.client());

        assertThat(replicaSet.commands()).extracting(command -> command.keySet().iterator().next())
                .containsExactly("hello");
        assertThat(replicaSet.indexes()).isEmpty();
    }

    @Test
    void theShardingPrivilegeCountsOnTheWholeDatabaseOrEveryDatabaseNotOnTheClusterOrOneCollection() {
        Document onAnyDatabase = privilege(new Document("db", "").append("collection", ""), "enableSharding");
        Document onThisDatabase = privilege(new Document("db", "phishnet").append("collection", ""), "enableSharding");
        Document onCluster = privilege(new Document("cluster", true), "enableSharding", "flushRouterConfig");
        Document readWrite = privilege(new Document("db", "phishnet").append("collection", ""), "find", "insert",
                "collMod");
        Document elsewhere = privilege(new Document("db", "other").append("collection", ""), "enableSharding");
        Document oneCollection = privilege(new Document("db", "phishnet").append("collection", "users"),
                "enableSharding");

        assertThat(V019_ShardKeys.mayShard(List.of(readWrite, onAnyDatabase), "phishnet")).isTrue();
        assertThat(V019_ShardKeys.mayShard(List.of(onThisDatabase), "phishnet")).isTrue();
        // shardCollection checks the action on each namespace: neither of these covers the collections V019 shards.
        assertThat(V019_ShardKeys.mayShard(List.of(onCluster), "phishnet")).isFalse();
        assertThat(V019_ShardKeys.mayShard(List.of(oneCollection), "phishnet")).isFalse();
        assertThat(V019_ShardKeys.mayShard(List.of(readWrite, elsewhere), "phishnet")).isFalse();
    }

    @Test
    void theDocumentedSelfManagedRoleGrantsShardingOnTheServiceDatabaseOnly() {
        assertThat(V019_ShardKeys.mayShard(List.of(MigrationPrivileges.shardingRolePrivilege("phishnet")), "phishnet"))
                .isTrue();
        assertThat(V019_ShardKeys.mayShard(List.of(MigrationPrivileges.shardingRolePrivilege("other")), "phishnet"))
                .isFalse();
        assertThat(MigrationPrivileges.shardingRolePrivilege("phishnet").getList("actions", String.class))
                .containsExactly(MigrationPrivileges.SHARDING_ACTION);
        assertThatThrownBy(() -> {
            throw V019_ShardKeys.missingPrivilege("phishnet");
        }).hasMessageContaining("createRole").hasMessageContaining(MigrationPrivileges.SHARDING_ROLE)
                .hasMessageContaining("db: 'phishnet', collection: ''");
    }

    @Test
    void aMissingShardingPrivilegeIsRefusedWithWhatToGrant() {
        assertThatThrownBy(() -> {
            throw V019_ShardKeys.missingPrivilege("phishnet");
        }).hasMessageContaining("enableSharding").hasMessageContaining("grantRolesToUser")
                .hasMessageContaining("cluster_topology").hasMessageContaining("nothing was changed");
    }

    @Test
    void aRouterIsToldApartByItsHelloMessage() {
        assertThat(V019_ShardKeys.isRouter(new Document("msg", "isdbgrid"))).isTrue();
        assertThat(V019_ShardKeys.isRouter(new Document("setName", "rs0"))).isFalse();
        assertThat(V019_ShardKeys.isRouter(null)).isFalse();
    }

    private static Document privilege(Document resource, String... actions) {
        return new Document("resource", resource).append("actions", List.of(actions));
    }
}
