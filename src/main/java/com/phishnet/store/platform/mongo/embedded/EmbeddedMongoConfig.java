package com.phishnet.store.platform.mongo.embedded;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import com.mongodb.ConnectionString;
import com.phishnet.store.platform.mongo.MongoUnavailableException;
import com.phishnet.store.platform.mongo.StoreMongoProperties;
import de.flapdoodle.embed.mongo.distribution.Version;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.mongodb.autoconfigure.MongoConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The embedded default: with no MongoDB address configured from any source, the application launches its own
 * single-node replica set and points the MongoDB client at it. Any configured address ({@code MONGODB_URI},
 * {@code spring.mongodb.uri} in any spelling or source, {@code spring.mongodb.host}/{@code port}), or
 * {@code phishnet.mongo.embedded.enabled=false}, switches this off.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedMongoConfig.EmbeddedMongoWanted.class)
public class EmbeddedMongoConfig {

    @Bean(destroyMethod = "close")
    EmbeddedMongod embeddedMongod(StoreMongoProperties properties) {
        StoreMongoProperties.Embedded embedded = properties.embedded();
        return EmbeddedMongod.start(new EmbeddedMongod.Settings(EmbeddedMongod.findLocalBinary(),
                version(embedded.version()), embedded.port(), embedded.dataDirectory(),
                embedded.replicaSetName(), embedded.startupTimeout()));
    }

    /** Takes precedence over {@code spring.mongodb.uri}: Boot's client uses these details when present. */
    @Bean
    MongoConnectionDetails embeddedMongoConnectionDetails(EmbeddedMongod mongod, Environment environment) {
        ConnectionString connectionString = mongod.connectionString(
                environment.getProperty("spring.mongodb.database", "phishnet"));
        return () -> connectionString;
    }

    /** "8.0" names flapdoodle's newest 8.0.x release. */
    static Version.Main version(String majorMinor) {
        String constant = "V" + majorMinor.trim().replace('.', '_');
        return Arrays.stream(Version.Main.values())
                .filter(version -> version.name().equals(constant))
                .findFirst()
                .orElseThrow(() -> new MongoUnavailableException("Unknown embedded MongoDB version '" + majorMinor
                        + "'; use one of " + Arrays.stream(Version.Main.values())
                                .map(Version.Main::name)
                                .filter(name -> name.matches("V\\d+_\\d+"))
                                .map(name -> name.substring(1).replace('_', '.'))
                                .collect(Collectors.joining(", ")), null));
    }

    /**
     * Properties that name a MongoDB server. The Environment resolves each from every source Boot reads:
     * {@code SPRING_MONGODB_URI} and other environment spellings, system properties, arguments, config files.
     */
    static final List<String> ADDRESS_PROPERTIES = List.of("spring.mongodb.uri", "MONGODB_URI", "spring.mongodb.host",
            "spring.mongodb.port", "spring.mongodb.additional-hosts");

    /** The first property that configures a MongoDB address, if any. */
    static Optional<String> configuredAddress(Environment environment) {
        return ADDRESS_PROPERTIES.stream()
                .filter(name -> {
                    String value = environment.getProperty(name);
                    return value != null && !value.isBlank();
                })
                .findFirst();
    }

    static final class EmbeddedMongoWanted extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Environment environment = context.getEnvironment();
            if (!environment.getProperty("phishnet.mongo.embedded.enabled", Boolean.class, true)) {
                return ConditionOutcome.noMatch("phishnet.mongo.embedded.enabled is false");
            }
            return configuredAddress(environment)
                    .map(name -> ConditionOutcome.noMatch(name + " is set: using that MongoDB"))
                    .orElseGet(() -> ConditionOutcome.match("no MongoDB address configured: launching the local replica set"));
        }
    }
}
