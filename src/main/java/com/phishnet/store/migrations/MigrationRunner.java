package com.phishnet.store.migrations;

import java.time.Clock;

import com.mongodb.reactivestreams.client.MongoClient;
import com.phishnet.store.platform.mongo.MigrationClientFactory;
import com.phishnet.store.platform.mongo.ReplicaSetGuard;
import io.mongock.driver.mongodb.reactive.driver.MongoReactiveDriver;
import io.mongock.runner.standalone.MongockStandalone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.DependsOn;
import org.springframework.data.mongodb.ReactiveMongoDatabaseFactory;
import org.springframework.stereotype.Component;

/**
 * Brings the schema up to date while the context starts: after the replica-set check, before the web server
 * accepts requests. Mongock records each applied change unit in {@code mongockChangeLog} and holds a lock in
 * {@code mongockLock}, so a second instance starting at the same time waits instead of migrating twice.
 * <p>
 * Runs through a client of its own ({@link MigrationClientFactory}): no request socket timeout to cut an index
 * build short, and optionally a migration user with the schema privileges the serving user lacks (see
 * {@link MigrationPrivileges}). The client is closed as soon as the schema is up to date.
 * <p>
 * Runs through Mongock's standalone builder: its Spring Boot runner declares support for Boot 3 only.
 */
@Component
@DependsOn(ReplicaSetGuard.BEAN_NAME)
public class MigrationRunner implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(MigrationRunner.class);

    private static final long LOCK_HELD_FOR_MILLIS = 60_000;
    private static final long STOP_TRYING_LOCK_AFTER_MILLIS = 180_000;
    private static final long LOCK_RETRY_EVERY_MILLIS = 1_000;

    private final MigrationClientFactory clients;
    private final String database;
    private final Clock clock;

    public MigrationRunner(MigrationClientFactory clients, ReactiveMongoDatabaseFactory databases, Clock clock) {
        this.clients = clients;
        this.database = databases.getMongoDatabase().block().getName();
        this.clock = clock;
    }

    @Override
    public void afterPropertiesSet() {
        log.info("Migrating database '{}' through {}", database, clients.describe());
        try (MongoClient client = clients.create()) {
            migrate(client, database, clock);
        }
    }

    /** Applies every change unit not yet recorded in the database's change log. */
    public static void migrate(MongoClient client, String database, Clock clock) {
        MongoReactiveDriver driver = MongoReactiveDriver.withLockStrategy(client, database,
                LOCK_HELD_FOR_MILLIS, STOP_TRYING_LOCK_AFTER_MILLIS, LOCK_RETRY_EVERY_MILLIS);
        MongockStandalone.builder()
                .setDriver(driver)
                .addMigrationScanPackage(MigrationRunner.class.getPackageName())
                .setTransactional(true)
                .addDependency(Clock.class, clock)
                // V019 runs hello and shardCollection on the admin database.
                .addDependency(MongoClient.class, client)
                .buildRunner()
                .execute();
        log.info("Schema of database '{}' is up to date", database);
    }
}
