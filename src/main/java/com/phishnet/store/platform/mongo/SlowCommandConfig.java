package com.phishnet.store.platform.mongo;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Puts the {@link SlowCommandLog} on every MongoDB client the service builds (the request client, and the
 * migration client, which applies the same customizers). {@code addCommandListener} adds to the listeners already
 * there, so Boot's Micrometer listener ({@code mongodb.driver.commands}) stays registered beside it; replacing the
 * list ({@code commandListenerList}) would silently drop it.
 */
@Configuration(proxyBeanMethods = false)
public class SlowCommandConfig {

    @Bean
    SlowCommandLog slowCommandLog(SlowCommandProperties properties, MeterRegistry meters) {
        return new SlowCommandLog(properties, meters);
    }

    @Bean
    MongoClientSettingsBuilderCustomizer slowCommandLogSettings(SlowCommandLog slowCommandLog) {
        return builder -> builder.addCommandListener(slowCommandLog);
    }
}
