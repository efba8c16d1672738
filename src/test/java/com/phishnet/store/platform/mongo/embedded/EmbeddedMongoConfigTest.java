package com.phishnet.store.platform.mongo.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import com.phishnet.store.platform.mongo.MongoUnavailableException;
import de.flapdoodle.embed.mongo.distribution.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

class EmbeddedMongoConfigTest {

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withUserConfiguration(Probe.class);

    @Test
    void launchesWhenNoUriIsGiven() {
        assumeTrue(EmbeddedMongoConfig.configuredAddress(new StandardEnvironment()).isEmpty(),
                "this machine configures a MongoDB address in its environment");
        contexts.run(context -> assertThat(context).hasBean("probe"));
    }

    @Test
    void staysOffWhenSpringMongodbUriIsSet() {
        contexts.withPropertyValues("spring.mongodb.uri=mongodb://db.example/phishnet?replicaSet=rs0")
                .run(context -> assertThat(context).doesNotHaveBean("probe"));
    }

    @Test
    void staysOffWhenSpringMongodbUriComesFromTheEnvironmentVariable() {
        contexts.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                        new SystemEnvironmentPropertySource("test-env",
                                Map.of("SPRING_MONGODB_URI", "mongodb://db.example/phishnet?replicaSet=rs0"))))
                .run(context -> assertThat(context).doesNotHaveBean("probe"));
    }

    @Test
    void staysOffWhenOnlyAHostIsConfigured() {
        contexts.withPropertyValues("spring.mongodb.host=db.example")
                .run(context -> assertThat(context).doesNotHaveBean("probe"));
    }

    @Test
    void aBlankUriConfiguresNothing() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-env",
                Map.of("MONGODB_URI", " ", "SPRING_MONGODB_URI", "")));
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);

        assertThat(EmbeddedMongoConfig.configuredAddress(environment)).isEmpty();
    }

    /** A default there would look exactly like an address the user configured. */
    @Test
    void applicationYamlGivesTheUriNoDefault() throws IOException {
        var sources = new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yaml"));

        assertThat(sources).allSatisfy(source -> assertThat(source.getProperty("spring.mongodb.uri")).isNull());
    }

    @Test
    void staysOffWhenMongodbUriIsSet() {
        contexts.withPropertyValues("MONGODB_URI=mongodb://db.example/phishnet?replicaSet=rs0")
                .run(context -> assertThat(context).doesNotHaveBean("probe"));
    }

    @Test
    void staysOffWhenDisabled() {
        contexts.withPropertyValues("phishnet.mongo.embedded.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("probe"));
    }

    @Test
    void mapsAMajorMinorVersionToFlapdoodlesRelease() {
        assertThat(EmbeddedMongoConfig.version("8.0")).isEqualTo(Version.Main.V8_0);
        assertThat(EmbeddedMongoConfig.version(" 7.0 ")).isEqualTo(Version.Main.V7_0);
    }

    @Test
    void rejectsAnUnknownVersionNamingTheKnownOnes() {
        assertThatThrownBy(() -> EmbeddedMongoConfig.version("2.9"))
                .isInstanceOf(MongoUnavailableException.class)
                .hasMessageContaining("'2.9'")
                .hasMessageContaining("8.0");
    }

    @Test
    void refusesAPortThatIsAlreadyTaken(@TempDir Path data) throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            EmbeddedMongod.Settings settings = new EmbeddedMongod.Settings(Optional.of(Path.of("/nonexistent/mongod")),
                    Version.Main.V8_0, taken.getLocalPort(), data, "rs0", Duration.ofSeconds(5));

            assertThatThrownBy(() -> EmbeddedMongod.start(settings))
                    .isInstanceOf(MongoUnavailableException.class)
                    .hasMessageContaining("Port " + taken.getLocalPort())
                    .hasMessageContaining("PHISHNET_MONGO_EMBEDDED_PORT");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(EmbeddedMongoConfig.EmbeddedMongoWanted.class)
    static class Probe {

        @Bean
        String probe() {
            return "embedded";
        }
    }
}
