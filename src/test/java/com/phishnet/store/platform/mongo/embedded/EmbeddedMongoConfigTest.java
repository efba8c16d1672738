package com.phishnet.store.platform.mongo.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import com.phishnet.store.platform.mongo.MongoUnavailableException;
import de.flapdoodle.embed.mongo.distribution.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

class EmbeddedMongoConfigTest {

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withUserConfiguration(Probe.class);

    @Test
    void launchesWhenNoUriIsGiven() {
        assumeTrue(System.getenv("MONGODB_URI") == null, "this machine sets MONGODB_URI");
        contexts.run(context -> assertThat(context).hasBean("probe"));
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
