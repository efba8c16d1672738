package com.phishnet.store.support;

import java.time.Clock;

import com.phishnet.store.migrations.MigrationRunner;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.SimpleReactiveMongoDatabaseFactory;

/** A template on a fresh, migrated test database, for integration tests that need no application context. */
public final class MigratedTemplate {

    private MigratedTemplate() {
    }

    public static ReactiveMongoTemplate on(MongoTestDatabase db) {
        MigrationRunner.migrate(db.client(), db.name(), Clock.systemUTC());
        return new ReactiveMongoTemplate(new SimpleReactiveMongoDatabaseFactory(db.client(), db.name()));
    }
}
