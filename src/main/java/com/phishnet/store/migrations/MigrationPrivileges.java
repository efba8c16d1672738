package com.phishnet.store.migrations;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the migrations may do on the service database, and which built-in roles allow it. Kept next to the
 * change units: a new unit that issues another command must add its privilege action here, and the unit test
 * of this class then shows whether the documented migrator roles still cover it.
 * <p>
 * The serving user needs {@link #SERVICE_ROLES} only. Migrations need {@link #MIGRATOR_ROLES}: {@code collMod}
 * (applying a validator to an existing collection) is granted by {@code dbAdmin}, not by {@code readWrite}.
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
     * older shape).
     * Mongock 5.5.1's reactive driver on {@code mongockChangeLog} and {@code mongockLock}: {@code find},
     * {@code insert}, {@code update} and {@code remove} (lock and change-log upserts and deletes),
     * {@code listIndexes}, {@code createIndex} and {@code dropIndex} (its unique indexes), and sessions with
     * transactions, which need no privilege of their own.
     */
    public static final Set<String> REQUIRED_ACTIONS = Set.of(
            "listCollections", "createCollection", "collMod", "createIndex", "listIndexes", "dropIndex",
            "find", "insert", "update", "remove");

    /**
     * What each built-in role grants on the non-system collections of its database, restricted to the actions
     * a migration could plausibly use ({@link #CANDIDATE_ACTIONS}). From the MongoDB manual, "Built-In Roles"
     * (readWrite, dbAdmin); the integration tier checks this table against {@code rolesInfo} on a real server.
     */
    static final Map<String, Set<String>> BUILT_IN_ROLE_ACTIONS = Map.of(
            "readWrite", Set.of("find", "insert", "update", "remove", "listCollections", "listIndexes",
                    "createCollection", "createIndex", "dropIndex", "dropCollection", "convertToCapped"),
            "dbAdmin", Set.of("listCollections", "listIndexes", "createCollection", "createIndex", "dropIndex",
                    "dropCollection", "convertToCapped", "collMod", "bypassDocumentValidation"));

    /** The actions {@link #BUILT_IN_ROLE_ACTIONS} speaks about; outside them it says nothing. */
    static final Set<String> CANDIDATE_ACTIONS = Set.of("find", "insert", "update", "remove", "listCollections",
            "listIndexes", "createCollection", "createIndex", "dropIndex", "dropCollection", "convertToCapped",
            "collMod", "bypassDocumentValidation");

    private MigrationPrivileges() {
    }

    /** The candidate actions the given built-in roles grant together. */
    static Set<String> grantedBy(List<String> roles) {
        Set<String> granted = new TreeSet<>();
        roles.forEach(role -> granted.addAll(BUILT_IN_ROLE_ACTIONS.getOrDefault(role, Set.of())));
        return granted;
    }
}
