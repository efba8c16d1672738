package com.phishnet.store.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import com.mongodb.MongoClientSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.mongodb.MongoMetricsCommandListener;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.boot.mongodb.autoconfigure.metrics.MongoMetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The slow-command log joins the client's listeners without pushing out Boot's Micrometer command listener. */
class SlowCommandConfigTest {

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MongoMetricsAutoConfiguration.class))
            .withUserConfiguration(Meters.class, MongoMetricsTags.class, SlowCommandConfig.class);

    @Test
    void bothTheSlowCommandLogAndMicrometersListenerAreOnTheClient() {
        contexts.run(context -> {
            java.util.List<MongoClientSettingsBuilderCustomizer> customizers = context
                    .getBeanProvider(MongoClientSettingsBuilderCustomizer.class).orderedStream().toList();
            java.util.List<MongoClientSettingsBuilderCustomizer> reversed = new java.util.ArrayList<>(customizers);
            java.util.Collections.reverse(reversed);
            // In either order: a customizer that replaced the list instead of adding to it would drop the other's.
            for (java.util.List<MongoClientSettingsBuilderCustomizer> order : java.util.List.of(customizers, reversed)) {
                MongoClientSettings.Builder builder = MongoClientSettings.builder();
                order.forEach(customizer -> customizer.customize(builder));

                assertThat(builder.build().getCommandListeners())
                        .hasAtLeastOneElementOfType(MongoMetricsCommandListener.class)
                        .hasAtLeastOneElementOfType(SlowCommandLog.class);
            }
        });
    }

    @Test
    void theThresholdIsBoundFromTheMongoProperties() {
        contexts.withPropertyValues("phishnet.mongo.slow-commands.threshold=750ms",
                        "phishnet.mongo.slow-commands.max-in-flight=500")
                .run(context -> {
                    SlowCommandProperties properties = context.getBean(SlowCommandProperties.class);
                    assertThat(properties.threshold()).isEqualTo(Duration.ofMillis(750));
                    assertThat(properties.maxInFlight()).isEqualTo(500);
                });
    }

    @Test
    void theDefaultThresholdIs200Milliseconds() {
        contexts.run(context -> assertThat(context.getBean(SlowCommandProperties.class).threshold())
                .isEqualTo(Duration.ofMillis(200)));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(SlowCommandProperties.class)
    static class Meters {

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
