package com.phishnet.store.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class MongodbUriAliasTest {

    private final StandardEnvironment environment = new StandardEnvironment();

    @Test
    void mongodbUriBecomesTheClientsUri() {
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-env",
                Map.of("MONGODB_URI", "mongodb://a,b/phishnet?replicaSet=rs0")));

        new MongodbUriAlias().postProcessEnvironment(environment, null);

        assertThat(environment.getProperty("spring.mongodb.uri")).isEqualTo("mongodb://a,b/phishnet?replicaSet=rs0");
    }

    @Test
    void anExplicitSpringMongodbUriWins() {
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of(
                "MONGODB_URI", "mongodb://from-env/phishnet", "spring.mongodb.uri", "mongodb://explicit/phishnet")));

        new MongodbUriAlias().postProcessEnvironment(environment, null);

        assertThat(environment.getProperty("spring.mongodb.uri")).isEqualTo("mongodb://explicit/phishnet");
    }

    @Test
    void withoutMongodbUriNothingIsAdded() {
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);

        new MongodbUriAlias().postProcessEnvironment(environment, null);

        assertThat(environment.getPropertySources().contains(MongodbUriAlias.SOURCE_NAME)).isFalse();
    }
}
