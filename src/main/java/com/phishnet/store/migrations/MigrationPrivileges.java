package com.phishnet.store.migrations;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.phishnet.store.audit.AuditFields;
import com.phishnet.store.jobs.JobFields;
import com.phishnet.store.scans.ScanFields;

/**
 * What the migrations may do on the service database, and which built-in roles allow it. Kept next to the
 * change units: a new unit that issues another command must add its privilege action here, and the unit test
 * of this class then shows whether the documented migrator roles still cover it.
 * <p>
 * The serving user needs {@link #SERVICE_ROLES} only, change streams included ({@link #SERVICE_STREAM_ACTIONS}).
 * Migrations need {@link #MIGRATOR_ROLES}: {@code collMod} (applying a validator to an existing collection) is
 * granted by {@code dbAdmin}, not by {@code readWrite}.
 */
public final class MigrationPrivileges {

    /** Roles of the user the service serves requests as, on the service database. */
    public static final List<String> SERVICE_ROLES = List.of("readWrite");

    /** Roles of the user migrations run as, on the service database (atlas/, docs/operations.md). */
    public static final List<String> MIGRATOR_ROLES = List.of("readWrite", "dbAdmin");

    /**
     * Privilege actions on the database's non-system collections that migrations use. The change units:
     * {@code listCollections} (listCollectionNames), {@code createCollection} (collections, time series),
     * {@code collMod} (validators on existing collections), {@code createIndex}, {@code dropIndex} (V005 replaces
     * an index), {@code find}, {@code update} and {@code remove} (V005 and V007 reshape or delete documents of an
     * older shape), and {@code find}, {@code insert} and {@code update} for V017's backfill (an aggregation whose
     * $lookup reads scans and whose $merge updates feedback; whenNotMatched "discard" never inserts, but $merge asks
     * for the privilege).
     * Mongock 5.5.1's reactive driver on {@code mongockChangeLog} and {@code mongockLock}: {@code find},
     * {@code insert}, {@code update} and {@code remove} (lock and change-log upserts and deletes),
     * {@code listIndexes}, {@code createIndex} and {@code dropIndex} (its unique indexes), and sessions with
     * transactions, which need no privilege of their own.
     */
    public static final Set<String> REQUIRED_ACTIONS = Set.of(
            "listCollections", "createCollection", "collMod", "createIndex", "listIndexes", "dropIndex",
            "find", "insert", "update", "remove");

    /**
     * The privilege action {@code shardCollection} needs (MongoDB manual, "Privilege Actions", sharding actions), used by
     * V019 on a sharded cluster only. Neither {@code readWrite} nor {@code dbAdmin} grants it.
     */
    public static final String SHARDING_ACTION = "enableSharding";

    /** What the migrator needs beyond {@link #REQUIRED_ACTIONS}, on a sharded cluster only. */
    public static final Set<String> SHARDED_CLUSTER_ACTIONS = Set.of(SHARDING_ACTION);

    /**
     * The built-in role, granted on the {@code admin} database, that gives the migrator {@link #SHARDED_CLUSTER_ACTIONS}
     * on a sharded cluster: {@code enableSharding} (manual, "Built-In Roles"; Atlas offers it as a built-in role too,
     * "Built-In Roles and Privileges"). It grants the action on every database, and also {@code reshardCollection},
     * {@code moveCollection}, {@code refineCollectionShardKey} and {@code analyzeShardKey}: atlas/ grants it because
     * Atlas custom roles cannot grant {@code enableSharding} (Atlas "Custom Role Actions": its sharding actions are
     * ADD_SHARD_TO_ZONE, REMOVE_SHARD_FROM_ZONE and UPDATE_ZONE_KEY_RANGE only). Self-managed clusters use
     * {@link #SHARDING_ROLE} instead. Not needed, and not granted by atlas/, on a replica set.
     */
    public static final String SHARDED_CLUSTER_MIGRATOR_ROLE = "enableSharding";

    /**
     * The custom role documented for self-managed sharded clusters (docs/scaling.md, created on {@code admin}): the
     * {@link #SHARDING_ACTION} on the service database only ({@link #shardingRolePrivilege}), nothing else.
     */
    public static final String SHARDING_ROLE = "phishnetShardCollections";

    /** The one privilege of {@link #SHARDING_ROLE}: {@code enableSharding} on every collection of {@code database}. */
    public static org.bson.Document shardingRolePrivilege(String database) {
        return new org.bson.Document("resource", new org.bson.Document("db", database).append("collection", ""))
                .append("actions", List.of(SHARDING_ACTION));
    }

    /** The collections the serving user opens change streams on: the sources of the live streams. */
    public static final List<String> STREAMED_COLLECTIONS = List.of(ScanFields.COLLECTION, AuditFields.COLLECTION,
            JobFields.COLLECTION);

    /**
     * Privilege actions the serving user's change streams need on {@link #STREAMED_COLLECTIONS}: {@code changeStream}
     * to open one, and {@code find} for the {@code updateLookup} of an update's current document. Closing its own
     * cursor needs no {@code killCursors}: a user may always kill the cursors it opened.
     */
    public static final Set<String> SERVICE_STREAM_ACTIONS = Set.of("changeStream", "find");

    /**
     * What each built-in role grants on the non-system collections of its database, restricted to the actions
     * a migration or the service's change streams could plausibly use ({@link #CANDIDATE_ACTIONS}). From the
     * MongoDB manual, "Built-In Roles" ({@code readWrite} includes every action of {@code read}, {@code changeStream}
     * among them; {@code dbAdmin} grants {@code changeStream} only on {@code system.profile}); the integration tier
     * checks this table against {@code rolesInfo} on a real server.
     */
    static final Map<String, Set<String>> BUILT_IN_ROLE_ACTIONS = Map.of(
            "readWrite", Set.of("find", "insert", "update", "remove", "listCollections", "listIndexes",
                    "createCollection", "createIndex", "dropIndex", "dropCollection", "convertToCapped", "changeStream"),
            "dbAdmin", Set.of("listCollections", "listIndexes", "createCollection", "createIndex", "dropIndex",
                    "dropCollection", "convertToCapped", "collMod", "bypassDocumentValidation"));

    /** The actions {@link #BUILT_IN_ROLE_ACTIONS} speaks about; outside them it says nothing. */
    static final Set<String> CANDIDATE_ACTIONS = Set.of("find", "insert", "update", "remove", "listCollections",
            "listIndexes", "createCollection", "createIndex", "dropIndex", "dropCollection", "convertToCapped",
            "collMod", "bypassDocumentValidation", "changeStream");

    private MigrationPrivileges() {
    }

    /** The candidate actions the given built-in roles grant together. */
    static Set<String> grantedBy(List<String> roles) {
        Set<String> granted = new TreeSet<>();
        roles.forEach(role -> granted.addAll(BUILT_IN_ROLE_ACTIONS.getOrDefault(role, Set.of())));
        return granted;
    }
}
