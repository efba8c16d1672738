package com.phishnet.store.migrations;

import java.util.ArrayList;
import java.util.HashMap;
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
 * On a sharded cluster it first reads the current shard keys, and only then changes anything. It reads them with the
 * aggregation stage {@code $listClusterCatalog} on the service database (MongoDB 8.0.10+; needs only the
 * {@code listCollections} action, which the migrator's {@code dbAdmin} and {@code readWrite} grant; fields
 * {@code sharded} and {@code shardKey}); where the stage is unknown or refused, from config.collections (which the
 * migrator's roles do not let it read: refused with Unauthorized); where both are refused, it knows no key and goes on
 * as if every key were missing, leaving {@code shardCollection} to tell a repeated key from another one.
 * Keys are compared field by field in order, values numerically ({@code 1} equals {@code 1.0}) or as {@code "hashed"}:
 * <ol>
 * <li>sharded with another key: the migration stops with a message naming both keys, before any change (changing a
 * key is {@code reshardCollection}, an operator's decision, never a side effect of a start);</li>
 * <li>every collection already sharded with its key: nothing more (no privilege check, no command that writes);</li>
 * <li>otherwise, for each collection still missing its key, the index that supports the key is made sure of (an
 * existing one whose prefix is the key, not partial nor sparse, or a new {@code <collection>_shard_key}:
 * {@code shardCollection} on a non-empty collection needs one, manual "Shard Key Indexes"), then
 * {@code shardCollection} runs. The server answers a repeated {@code shardCollection} with the same key as done, and
 * refuses another key, or the same key with other unique/collation options, with AlreadyInitialized, which this unit
 * turns into the same message as case 1.</li>
 * </ol>
 * {@code shardCollection} needs the {@code enableSharding} privilege action, which the migrator's {@code readWrite} and
 * {@code dbAdmin} do not grant: a role granting the action on the service's database does (self-managed), or the
 * built-in {@code enableSharding} role (Atlas; MigrationPrivileges). When a key is
 * missing the unit checks the authenticated user's privileges first ({@code connectionStatus}) and refuses with what to
 * grant, before it changes anything. Not transactional: {@code shardCollection} and {@code createIndexes} are DDL.
 * <p>
 * Runs at every start ({@code runAlways}): a deployment that started on a replica set and was converted to a sharded
 * cluster gets its keys at the first start through a mongos, with nothing but the URI changed (docs/scaling.md).
 * Mongock 5.5.1 runs a runAlways unit even when its change-log entry says EXECUTED, and writes that entry once only:
 * later successful runs add nothing to mongockChangeLog (ChangeExecutorBase.trackChangeEntry skips runAlways units
 * already executed). Its cost at a start: one {@code hello} on a replica set; one {@code hello} and one
 * {@code $listClusterCatalog} aggregation on a sharded cluster of 8.0.10+ whose keys are all in place (before 8.0.10:
 * one config.collections read per sharded catalog collection, refused for the migrator, then also the privilege check,
 * {@code listIndexes} and a shardCollection answered as done per collection). Because a runAlways unit is always
 * pending, every start also takes and releases Mongock's lock.
 */
@ChangeUnit(id = "V019-shard-keys", order = "0019", author = "phishnet-store", transactional = false, runAlways = true)
public class V019_ShardKeys {

    static final String ROUTER_MESSAGE = "isdbgrid";
    static final int UNAUTHORIZED = 13;
    static final int ALREADY_INITIALIZED = 23;
    /** The server does not know an aggregation stage ({@code $listClusterCatalog} before 8.0.10). */
    static final int UNRECOGNIZED_STAGE = 40324;
    static final String CATALOG_STAGE = "$listClusterCatalog";

    private static final Logger log = LoggerFactory.getLogger(V019_ShardKeys.class);

    @Execution
    public void apply(MongoDatabase database, MongoClient client) {
        MongoDatabase admin = client.getDatabase("admin");
        Document hello = Mono.from(admin.runCommand(new Document("hello", 1))).block();
        if (!isRouter(hello)) {
            log.info("V019: not a sharded cluster (no mongos): shard keys not applied");
            return;
        }
        Map<ShardKeys.Entry, Optional<Document>> current = currentKeys(client, database);
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
            else if (!sameKey(key.get(), entry.key())) {
                throw otherKey(database + "." + entry.collection(), key.get().toJson(), entry);
            }
            else {
                log.debug("V019: {}.{} is sharded on {} already", database, entry.collection(), entry.key().toJson());
            }
        });
        return missing;
    }

    /**
     * Whether a recorded shard key is the catalog's: the same fields in the same order, each with the same type, ranged
     * values compared numerically ({@code 1}, {@code 1L} and {@code 1.0} are one; the server may record any of them) and
     * hashed ones as {@code "hashed"}. {@link Document#equals} would ignore the order and compare numbers by class.
     */
    static boolean sameKey(Document recorded, Document catalog) {
        if (recorded == null || catalog == null) {
            return recorded == catalog;
        }
        List<String> recordedFields = List.copyOf(recorded.keySet());
        if (!recordedFields.equals(List.copyOf(catalog.keySet()))) {
            return false;
        }
        for (String field : recordedFields) {
            Object have = recorded.get(field);
            Object want = catalog.get(field);
            boolean same = have instanceof Number haveNumber && want instanceof Number wantNumber
                    ? Double.compare(haveNumber.doubleValue(), wantNumber.doubleValue()) == 0
                    : have instanceof String && have.equals(want);
            if (!same) {
                return false;
            }
        }
        return true;
    }

    /**
     * The current key of every sharded catalog entry (empty: not sharded, or not known), in catalog order: from
     * {@code $listClusterCatalog}, else from config.collections, else nothing known.
     */
    private static Map<ShardKeys.Entry, Optional<Document>> currentKeys(MongoClient client, MongoDatabase database) {
        Optional<Map<String, Document>> catalog = keysFromClusterCatalog(database);
        Map<ShardKeys.Entry, Optional<Document>> current = new LinkedHashMap<>();
        if (catalog.isPresent()) {
            for (ShardKeys.Entry entry : ShardKeys.sharded()) {
                current.put(entry, Optional.ofNullable(catalog.get().get(namespace(database, entry))));
            }
            return current;
        }
        boolean readable = true;
        for (ShardKeys.Entry entry : ShardKeys.sharded()) {
            Optional<Optional<Document>> key = readable ? configKey(client, namespace(database, entry)) : Optional.empty();
            readable = key.isPresent();
            current.put(entry, key.flatMap(found -> found));
        }
        if (!readable) {
            log.info("V019: the migration user may read neither {} nor config.collections: the keys are checked by"
                    + " shardCollection itself (needs the enableSharding action at every start)", CATALOG_STAGE);
        }
        return current;
    }

    /**
     * The shard keys {@code $listClusterCatalog} reports for the database's sharded collections, by namespace; empty
     * when the server does not know the stage (before 8.0.10), the user may not run it, or its output lacks the
     * {@code sharded} field (the manual calls the stage's output format unstable).
     */
    static Optional<Map<String, Document>> keysFromClusterCatalog(MongoDatabase database) {
        List<Document> collections;
        try {
            collections = Flux.from(database.aggregate(List.of(new Document(CATALOG_STAGE, new Document()))))
                    .collectList().block();
        }
        catch (MongoCommandException refused) {
            if (refused.getErrorCode() == UNAUTHORIZED || refused.getErrorCode() == UNRECOGNIZED_STAGE) {
                log.debug("V019: {} not available ({}): reading config.collections", CATALOG_STAGE,
                        refused.getErrorCodeName());
                return Optional.empty();
            }
            throw refused;
        }
        Map<String, Document> keys = new HashMap<>();
        for (Document collection : collections == null ? List.<Document>of() : collections) {
            if (!(collection.get("sharded") instanceof Boolean sharded) || collection.getString("ns") == null) {
                log.debug("V019: {} answered without ns/sharded: reading config.collections", CATALOG_STAGE);
                return Optional.empty();
            }
            if (sharded) {
                Document key = collection.get("shardKey", Document.class);
                if (key == null) {
                    log.debug("V019: {} answered sharded without shardKey: reading config.collections", CATALOG_STAGE);
                    return Optional.empty();
                }
                keys.put(collection.getString("ns"), key);
            }
        }
        return Optional.of(keys);
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
                throw otherKey(namespace, "another key, or other unique/collation options (" + refused.getErrorMessage()
                        + ")", entry);
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
     * The key config.collections records for the namespace (inner empty: not sharded); outer empty when the migrator may
     * not read the config database, as with its documented roles.
     */
    private static Optional<Optional<Document>> configKey(MongoClient client, String namespace) {
        try {
            Document info = Mono.from(client.getDatabase("config").getCollection("collections")
                    .find(new Document("_id", namespace)).first()).block();
            // MongoDB 8.0 also records unsharded collections it tracks (moved with moveCollection) there, marked
            // unsplittable: those are not sharded.
            if (info == null || Boolean.TRUE.equals(info.getBoolean("unsplittable"))) {
                return Optional.of(Optional.empty());
            }
            return Optional.of(Optional.ofNullable(info.get("key", Document.class)));
        }
        catch (MongoCommandException unreadable) {
            if (unreadable.getErrorCode() == UNAUTHORIZED) {
                return Optional.empty();
            }
            throw unreadable;
        }
    }

    /**
     * An index that supports the key (prefix, same types, neither partial nor sparse nor with a collation), or a new one.
     * Not checked: whether the index is multikey (listIndexes does not say; only {@code $indexStats}/explain hint at it).
     * It cannot be: every key field is typed by the collection's validator as a string (or, {@code audit_logs.seq}, an
     * int/long), never an array (V001, V005), and {@code shardCollection} itself refuses a multikey index.
     */
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
            // shardCollection checks the action on the namespace: a cluster-resource privilege or one on a single
            // collection does not cover the collections V019 shards.
            boolean covers = resource != null && (Boolean.TRUE.equals(resource.getBoolean("anyResource"))
                    || (("".equals(resource.getString("db")) || database.equals(resource.getString("db")))
                            && "".equals(resource.getString("collection"))));
            return covers && privilege.getList("actions", String.class, List.of())
                    .contains(MigrationPrivileges.SHARDING_ACTION);
        });
    }

    static IllegalStateException missingPrivilege(String database) {
        return new IllegalStateException("V019 cannot apply the shard keys: the migration user may not run"
                + " shardCollection on database '" + database + "' (privilege action '" + MigrationPrivileges.SHARDING_ACTION
                + "' missing). On a sharded cluster the migration user needs, besides readWrite and dbAdmin on '" + database
                + "', the action '" + MigrationPrivileges.SHARDING_ACTION + "' on that database. Self-managed: a role"
                + " granting it there only, db.getSiblingDB('admin').createRole({role: '"
                + MigrationPrivileges.SHARDING_ROLE + "', privileges: [{resource: {db: '" + database
                + "', collection: ''}, actions: ['" + MigrationPrivileges.SHARDING_ACTION + "']}], roles: []}), then"
                + " db.getSiblingDB('admin').grantRolesToUser('<migration user>', [{role: '"
                + MigrationPrivileges.SHARDING_ROLE + "', db: 'admin'}]) (or the built-in role '"
                + MigrationPrivileges.SHARDED_CLUSTER_MIGRATOR_ROLE + "' on admin, which covers every database). Atlas:"
                + " atlas/ with cluster_topology = \"sharded\" (the built-in role; Atlas custom roles cannot grant the"
                + " action). Then start the service again; nothing was changed.");
    }

    private static IllegalStateException otherKey(String namespace, String current, ShardKeys.Entry entry) {
        return new IllegalStateException("V019: " + namespace + " is sharded on " + current + ", but the service's"
                + " catalog (ShardKeys) says " + entry.key().toJson() + ". A shard key is changed deliberately, with"
                + " reshardCollection (docs/scaling.md), never by a start; change it that way or adapt the catalog in a"
                + " new change unit.");
    }
}
