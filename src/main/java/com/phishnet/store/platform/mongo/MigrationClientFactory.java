package com.phishnet.store.platform.mongo;

import java.util.List;
import java.util.concurrent.TimeUnit;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoDriverInformation;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import org.bson.UuidRepresentation;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.boot.mongodb.autoconfigure.MongoConnectionDetails;
import org.springframework.boot.mongodb.autoconfigure.MongoProperties;
import org.springframework.boot.mongodb.autoconfigure.StandardMongoClientSettingsBuilderCustomizer;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.stereotype.Component;

/**
 * Builds the MongoDB client that schema migrations run through: the request client's settings (Boot's
 * customizers and {@link MongoClientConfig}'s majority/retry guarantees, applied in the same order), with
 * the migration URI and credential in place of the service's when {@code phishnet.mongo.migration.uri} is
 * set, and timeouts of its own. The caller closes the client once migrations are done.
 */
@Component
public class MigrationClientFactory {

    /** Shown in the server's logs and {@code currentOp}, so a long index build can be traced to its source. */
    static final String APPLICATION_NAME = "phishnet-store-migrations";

    private final MongoClientSettings baseSettings;
    private final List<MongoClientSettingsBuilderCustomizer> customizers;
    private final MongoConnectionDetails serviceConnection;
    private final UuidRepresentation uuidRepresentation;
    private final MigrationMongoProperties properties;

    public MigrationClientFactory(MongoClientSettings baseSettings,
            ObjectProvider<MongoClientSettingsBuilderCustomizer> customizers, MongoConnectionDetails serviceConnection,
            MongoProperties mongoProperties, MigrationMongoProperties properties) {
        this.baseSettings = baseSettings;
        this.customizers = customizers.orderedStream().toList();
        this.serviceConnection = serviceConnection;
        this.uuidRepresentation = mongoProperties.getRepresentation().getUuid();
        this.properties = properties;
    }

    public MongoClient create() {
        return MongoClients.create(settings(), MongoDriverInformation.builder().driverName(APPLICATION_NAME).build());
    }

    /** The user migrations authenticate as, for the startup log; never the password. */
    public String describe() {
        MongoClientSettings settings = settings();
        String user = settings.getCredential() != null ? settings.getCredential().getUserName() : "(no credential)";
        return (properties.hasOwnUri() ? "phishnet.mongo.migration.uri" : "the service's connection") + " as " + user;
    }

    MongoClientSettings settings() {
        return settings(baseSettings, customizers, serviceConnection, uuidRepresentation, properties);
    }

    static MongoClientSettings settings(MongoClientSettings baseSettings,
            List<MongoClientSettingsBuilderCustomizer> customizers, MongoConnectionDetails serviceConnection,
            UuidRepresentation uuidRepresentation, MigrationMongoProperties properties) {
        MongoClientSettingsBuilderCustomizer connection = properties.hasOwnUri()
                ? new StandardMongoClientSettingsBuilderCustomizer(
                        migrationConnection(new ConnectionString(properties.uri()), serviceConnection), uuidRepresentation)
                : null;
        MongoClientSettings.Builder builder = MongoClientSettings.builder(baseSettings);
        boolean replaced = false;
        for (MongoClientSettingsBuilderCustomizer customizer : customizers) {
            // Boot's customizer is the one that applies the address and credential; the migration URI takes its
            // place rather than being layered on top, so no host or credential of the service's survives.
            if (connection != null && customizer instanceof StandardMongoClientSettingsBuilderCustomizer) {
                connection.customize(builder);
                replaced = true;
            }
            else {
                customizer.customize(builder);
            }
        }
        if (connection != null && !replaced) {
            throw new IllegalStateException("phishnet.mongo.migration.uri is set, but Spring Boot's MongoDB "
                    + "connection customizer was not found to replace; refusing to migrate as the service's user");
        }
        return builder
                .applicationName(APPLICATION_NAME)
                .applyToClusterSettings(cluster -> cluster
                        .serverSelectionTimeout(properties.serverSelectionTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .applyToSocketSettings(socket -> socket
                        .connectTimeout(properties.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .readTimeout(properties.socketTimeout().toMillis(), TimeUnit.MILLISECONDS))
                // A short-lived client: no idle connections kept warm.
                .applyToConnectionPoolSettings(pool -> pool.minSize(0))
                .build();
    }

    /** The migration URI, with the service connection's SSL bundle (if any) so TLS settings stay the same. */
    private static MongoConnectionDetails migrationConnection(ConnectionString uri, MongoConnectionDetails service) {
        return new MongoConnectionDetails() {
            @Override
            public ConnectionString getConnectionString() {
                return uri;
            }

            @Override
            public SslBundle getSslBundle() {
                return service.getSslBundle();
            }
        };
    }
}
