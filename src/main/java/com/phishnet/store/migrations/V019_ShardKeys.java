package com.phishnet.store.migrations;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.mongodb.MongoCommandException;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import io.mongock.api.annotations.ChangeUnit;
import io.mongock.api.annotations.Execution;
import io.mongock.api.annotations.RollbackExecution;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Applies the shard keys of {@link ShardKeys} when the service runs on a sharded cluster (issue 14, item 6). On a
 * replica set (the {@code hello} reply is not a mongos router's, {@code msg: "isdbgrid"}) it does nothing and says so
 * in one log line.
 * <p>
 * On a sharded cluster it first reads, per collection of the catalog that has a key, the key config.collections records
 * (where the migrator may read it), and only then changes anything:
 * <ol>
 * <li>sharded with another key: the migration stops with a message naming both keys, before any change (changing a
 * key is {@code reshardCollection}, an operator's decision, never a side effect of a start);</li>
 * <li>every collection already sharded with its key: nothing more (no privilege check, no command that writes);</li>
 * <li>otherwise, for each collection still missing its key, the index that supports the key is made sure of (an
 * existing one whose prefix is the key, not partial nor sparse, or a new {@code <collection>_shard_key}:
 * {@code shardCollection} on a non-empty collection needs one, manual "Shard Key Indexes"), then
 * {@code shardCollection} runs. The server answers a repeated {@code shardCollection} with the same key as done, and
 * refuses another key with AlreadyInitialized, which this unit turns into the same message as case 1.</li>
 * </ol>
 * {@code shardCollection} needs the {@code enableSharding} privilege action, which the migrator's {@code readWrite} and
 * {@code dbAdmin} do not grant: the built-in {@code enableSharding} role does (MigrationPrivileges). When a key is
 * missing the unit checks the authenticated user's privileges first ({@code connectionStatus}) and refuses with what to
 * grant, before it changes anything. Not transactional: {@code shardCollection} and {@code createIndexes} are DDL.
 * <p>
 * Runs at every start ({@code runAlways}): a deployment that started on a replica set and was converted to a sharded
 * cluster gets its keys at the first start through a mongos, with nothing but the URI changed (docs/scaling.md).
 * Mongock 5.5.1 runs a runAlways unit even when its change-log entry says EXECUTED, and writes that entry once only:
 * later successful runs add nothing to mongockChangeLog (ChangeExecutorBase.trackChangeEntry skips runAlways units
 * already executed). Its cost at a start: one {@code hello} on a replica set; one {@code hello} and one
 * config.collections read per sharded catalog collection on a sharded cluster whose keys are all in place (when the
 * migrator may read config.collections; otherwise also the privilege check and a shardCollection answered as done per
 * collection). Because a runAlways unit is always pending, every start also takes and releases Mongock's lock.
 */
@ChangeUnit(id = "V019-shard-keys", order = "0019", author = "phishnet-store", transactional = false, runAlways = true)
public class V019_ShardKeys {

    static final String ROUTER_MESSAGE = "isdbgrid";
    static final int UNAUTHORIZED = 13;
    static final int ALREADY_INITIALIZED = 23;

    private static final Logger log = LoggerFactory.getLogger(V019_ShardKeys.class);

    @Execution
    public void apply(MongoDatabase database, MongoClient client) {
        MongoDatabase admin = client.getDatabase("admin");
        Document hello = Mono.from(admin.runCommand(new Document("hello", 1))).block();
        if (!isRouter(hello)) {
            log.info("V019: not a sharded cluster (no mongos): shard keys not applied");
            return;
        }
        Map<ShardKeys.Entry, Optional<Document>> current = new LinkedHashMap<>();
        for (ShardKeys.Entry entry : ShardKeys.sharded()) {
            current.put(entry, currentKey(client, namespace(database, entry)));
        }
        List<ShardKeys.Entry> missing = missingKeys(database.getName(), current);
        if (missing.isEmpty()) {
            log.info("V019: sharded cluster, all {} shard keys in place", current.size());
            return;
        }
        requireShardingPrivilege(admin, database.getName());
        for (ShardKeys.Entry entry : missing) {
            shard(client, database, entry);
        }
    }

    @RollbackExecution
    public void rollback(MongoDatabase database) {
        // A shard key cannot be taken back (only changed, with reshardCollection); collections sharded before a failure
        // are found sharded with their key by the re-run, which goes on with the rest.
    }

    static boolean isRouter(Document hello) {
        return hello != null && ROUTER_MESSAGE.equals(hello.getString("msg"));
    }

    /**
     * The catalog entries whose collection is not sharded yet, in catalog order; stops with the other-key message when
     * a collection is sharded with another key than the catalog's, before anything is changed.
     */
    static List<ShardKeys.Entry> missingKeys(String database, Map<ShardKeys.Entry, Optional<Document>> current) {
        List<ShardKeys.Entry> missing = new ArrayList<>();
        current.forEach((entry, key) -> {
            if (key.isEmpty()) {
                missing.add(entry);
            }
            else if (!key.get().equals(entry.key())) {
                throw otherKey(database + "." + entry.collection(), key.get().toJson(), entry);
            }
            else {
                log.debug("V019: {}.{} is sharded on {} already", database, entry.collection(), entry.key().toJson());
            }
        });
        return missing;
    }

    private static String namespace(MongoDatabase database, ShardKeys.Entry entry) {
        return database.getName() + "." + entry.collection();
    }

    private static void shard(MongoClient client, MongoDatabase database, ShardKeys.Entry entry) {
        String namespace = namespace(database, entry);
        ensureSupportingIndex(database, entry);
        Document command = shardCollection(namespace, entry);
        try {
            Mono.from(client.getDatabase("admin").runCommand(command)).block();
        }
        catch (MongoCommandException refused) {
            if (refused.getErrorCode() == ALREADY_INITIALIZED) {
                throw otherKey(namespace, "another key (" + refused.getErrorMessage() + ")", entry);
            }
            if (refused.getErrorCode() == UNAUTHORIZED) {
                throw missingPrivilege(database.getName());
            }
            throw refused;
        }
        log.info("V019: sharded {} on {}", namespace, entry.key().toJson());
    }

    /** The {@code shardCollection} command of one catalog entry, run on the admin database. */
    static Document shardCollection(String namespace, ShardKeys.Entry entry) {
        return new Document("shardCollection", namespace).append("key", entry.key());
    }

    /**
     * The key config.collections records for the namespace; empty when it is not sharded, or when the migrator may not
     * read the config database (then {@code shardCollection} itself tells a repeated key from another one).
     */
    private static Optional<Document> currentKey(MongoClient client, String namespace) {
        return Mono.from(client.getDatabase("config").getCollection("collections")
                        .find(new Document("_id", namespace)).first())
                // MongoDB 8.0 also records unsharded collections it tracks (moved with moveCollection) there, marked
                // unsplittable: those are not sharded.
                .map(info -> Boolean.TRUE.equals(info.getBoolean("unsplittable")) ? Optional.<Document>empty()
                        : Optional.ofNullable(info.get("key", Document.class)))
                .onErrorResume(MongoCommandException.class, unreadable -> unreadable.getErrorCode() == UNAUTHORIZED
                        ? Mono.just(Optional.empty()) : Mono.error(unreadable))
                .blockOptional()
                .flatMap(key -> key);
    }

    /** An index that supports the key (prefix, same types, neither partial nor sparse), or a new one. */
    private static void ensureSupportingIndex(MongoDatabase database, ShardKeys.Entry entry) {
        List<Document> indexes = Flux.from(database.getCollection(entry.collection()).listIndexes())
                .collectList().block();
        boolean supported = indexes.stream().anyMatch(index -> !index.containsKey("partialFilterExpression")
                && !index.getBoolean("sparse", false) && !index.containsKey("collation")
                && entry.supportedBy(index.get("key", Document.class)));
        if (!supported) {
            Flux.from(database.getCollection(entry.collection()).createIndexes(List.of(supportingIndex(entry))))
                    .then().block();
        }
    }

    /** The key, then {@code _id}: a key pattern of its own, so it never clashes with a partial index on the key. */
    static IndexModel supportingIndex(ShardKeys.Entry entry) {
        Document keys = new Document(entry.key());
        keys.putIfAbsent("_id", 1);
        return new IndexModel(keys, new IndexOptions().name(entry.collection() + "_shard_key"));
    }

    /**
     * Refuses before any change when the authenticated user lacks the {@code enableSharding} action on this database
     * or on every database. Without authentication (a server without access control) there is nothing to check.
     */
    private static void requireShardingPrivilege(MongoDatabase admin, String database) {
        Document status = Mono.from(admin.runCommand(new Document("connectionStatus", 1).append("showPrivileges", true)))
                .block();
        Document authInfo = status == null ? null : status.get("authInfo", Document.class);
        if (authInfo == null || authInfo.getList("authenticatedUsers", Object.class, List.of()).isEmpty()) {
            return;
        }
        if (!mayShard(authInfo.getList("authenticatedUserPrivileges", Document.class, List.of()), database)) {
            throw missingPrivilege(database);
        }
    }

    static boolean mayShard(List<Document> privileges, String database) {
        return privileges.stream().anyMatch(privilege -> {
            Document resource = privilege.get("resource", Document.class);
            boolean covers = resource != null && (Boolean.TRUE.equals(resource.getBoolean("cluster"))
                    || Boolean.TRUE.equals(resource.getBoolean("anyResource"))
                    || List.of("", database).contains(resource.getString("db")));
            return covers && privilege.getList("actions", String.class, List.of())
                    .contains(MigrationPrivileges.SHARDING_ACTION);
        });
    }

    static IllegalStateException missingPrivilege(String database) {
        return new IllegalStateException("V019 cannot apply the shard keys: the migration user may not run"
                + " shardCollection on database '" + database + "' (privilege action '" + MigrationPrivileges.SHARDING_ACTION
                + "' missing). On a sharded cluster the migration user needs, besides readWrite and dbAdmin on '" + database
                + "', the built-in role '" + MigrationPrivileges.SHARDED_CLUSTER_MIGRATOR_ROLE + "' on the admin database:"
                + " db.getSiblingDB('admin').grantRolesToUser('<migration user>', [{role: 'enableSharding', db: 'admin'}])"
                + " (self-managed), or atlas/ with cluster_topology = \"sharded\" (Atlas). Then start the service again;"
                + " nothing was changed.");
    }

    private static IllegalStateException otherKey(String namespace, String current, ShardKeys.Entry entry) {
        return new IllegalStateException("V019: " + namespace + " is sharded on " + current + ", but the service's"
                + " catalog (ShardKeys) says " + entry.key().toJson() + ". A shard key is changed deliberately, with"
                + " reshardCollection (docs/scaling.md), never by a start; change it that way or adapt the catalog in a"
                + " new change unit.");
    }
}
