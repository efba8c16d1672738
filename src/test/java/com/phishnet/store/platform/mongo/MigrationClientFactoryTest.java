package com.phishnet.store.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.ServerAddress;
import org.bson.UuidRepresentation;
import org.junit.jupiter.api.Test;

import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.boot.mongodb.autoconfigure.MongoConnectionDetails;
import org.springframework.boot.mongodb.autoconfigure.StandardMongoClientSettingsBuilderCustomizer;

/** The migration client's settings, rendered without a server, next to the request client's. */
class MigrationClientFactoryTest {

    private static final String SERVICE_URI =
            "mongodb://phishnet-store:service-secret@h1:27017,h2:27017/phishnet?replicaSet=rs0&authSource=admin";
    private static final String MIGRATION_URI =
            "mongodb://phishnet-migrator:migrator-secret@m1:27017,m2:27017/phishnet?replicaSet=rs0&authSource=admin"
                    + "&w=1&retryWrites=false";

    private final StoreMongoProperties store = new StoreMongoProperties(Duration.ofSeconds(5), Duration.ofSeconds(5),
            Duration.ofSeconds(60), 100, 0, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10), null);

    private final MongoConnectionDetails service = () -> new ConnectionString(SERVICE_URI);

    private final List<MongoClientSettingsBuilderCustomizer> customizers = List.of(
            new StandardMongoClientSettingsBuilderCustomizer(service, UuidRepresentation.STANDARD),
            new MongoClientConfig().storeMongoClientSettings(store));

    @Test
    void migrationsHaveNoSocketReadTimeoutWhileRequestsDo() {
        MongoClientSettings migration = migrationSettings(null);

        assertThat(requestSettings().getSocketSettings().getReadTimeout(TimeUnit.MILLISECONDS)).isEqualTo(60_000);
        assertThat(migration.getSocketSettings().getReadTimeout(TimeUnit.MILLISECONDS)).isZero();
    }

    @Test
    void migrationsWaitLongerForAServerThanRequests() {
        MongoClientSettings migration = migrationSettings(null);

        assertThat(migration.getClusterSettings().getServerSelectionTimeout(TimeUnit.MILLISECONDS)).isEqualTo(30_000)
                .isGreaterThan(requestSettings().getClusterSettings().getServerSelectionTimeout(TimeUnit.MILLISECONDS));
        assertThat(migration.getSocketSettings().getConnectTimeout(TimeUnit.MILLISECONDS)).isEqualTo(10_000);
    }

    @Test
    void aConfiguredSocketTimeoutBoundsMigrationCommands() {
        MongoClientSettings migration = MigrationClientFactory.settings(MongoClientSettings.builder().build(),
                customizers, service, UuidRepresentation.STANDARD,
                new MigrationMongoProperties(null, Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofHours(2)));

        assertThat(migration.getSocketSettings().getReadTimeout(TimeUnit.MILLISECONDS)).isEqualTo(7_200_000);
    }

    @Test
    void withoutAMigrationUriMigrationsConnectWhereAndAsTheServiceDoes() {
        MongoClientSettings migration = migrationSettings(null);

        assertThat(migration.getClusterSettings().getHosts())
                .containsExactly(new ServerAddress("h1", 27017), new ServerAddress("h2", 27017));
        assertThat(migration.getCredential().getUserName()).isEqualTo("phishnet-store");
        assertThat(migration.getCredential().getSource()).isEqualTo("admin");
    }

    @Test
    void aMigrationUriReplacesTheServiceHostsAndCredential() {
        MongoClientSettings migration = migrationSettings(MIGRATION_URI);

        assertThat(migration.getClusterSettings().getHosts())
                .containsExactly(new ServerAddress("m1", 27017), new ServerAddress("m2", 27017));
        assertThat(migration.getCredential().getUserName()).isEqualTo("phishnet-migrator");
        assertThat(new String(migration.getCredential().getPassword())).isEqualTo("migrator-secret");
    }

    @Test
    void aMigrationUriWithoutCredentialDoesNotInheritTheServiceUser() {
        MongoClientSettings migration = migrationSettings("mongodb://m1:27017/phishnet?replicaSet=rs0");

        assertThat(migration.getCredential()).isNull();
    }

    @Test
    void migrationsKeepTheMajorityAndRetryGuaranteesWhateverTheirUriSays() {
        MongoClientSettings migration = migrationSettings(MIGRATION_URI);

        assertThat(migration.getWriteConcern().getWString()).isEqualTo("majority");
        assertThat(migration.getWriteConcern().getJournal()).isTrue();
        assertThat(migration.getRetryWrites()).isTrue();
    }

    @Test
    void migrationsNameThemselvesToTheServer() {
        assertThat(migrationSettings(null).getApplicationName()).isEqualTo("phishnet-store-migrations");
    }

    @Test
    void refusesAMigrationUriWhenThereIsNoConnectionCustomizerToReplace() {
        List<MongoClientSettingsBuilderCustomizer> withoutBoots = List.of(customizers.get(1));

        assertThatIllegalStateException().isThrownBy(() -> MigrationClientFactory.settings(
                MongoClientSettings.builder().build(), withoutBoots, service, UuidRepresentation.STANDARD,
                properties(MIGRATION_URI)))
                .withMessageContaining("phishnet.mongo.migration.uri");
    }

    private MongoClientSettings requestSettings() {
        MongoClientSettings.Builder builder = MongoClientSettings.builder();
        customizers.forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    private MongoClientSettings migrationSettings(String uri) {
        return MigrationClientFactory.settings(MongoClientSettings.builder().build(), customizers, service,
                UuidRepresentation.STANDARD, properties(uri));
    }

    private static MigrationMongoProperties properties(String uri) {
        return new MigrationMongoProperties(uri, Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ZERO);
    }
}
