package com.phishnet.store.platform.mongo;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes {@code MONGODB_URI} a spelling of {@code spring.mongodb.uri}, without giving {@code spring.mongodb.uri}
 * a default: a default would be indistinguishable from a configured address, and the embedded launcher must
 * know whether the user configured one. A {@code spring.mongodb.uri} from any source wins. Registered in
 * {@code META-INF/spring.factories}; runs after the config files are loaded.
 */
public class MongodbUriAlias implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "MONGODB_URI";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String uri = environment.getProperty("MONGODB_URI");
        if (uri != null && !uri.isBlank() && !hasText(environment.getProperty("spring.mongodb.uri"))) {
            environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, Map.of("spring.mongodb.uri", uri)));
        }
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
