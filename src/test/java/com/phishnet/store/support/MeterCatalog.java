package com.phishnet.store.support;

import static org.mockito.Mockito.mock;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import com.mongodb.ServerAddress;
import com.mongodb.connection.ClusterId;
import com.mongodb.connection.ConnectionDescription;
import com.mongodb.connection.ConnectionPoolSettings;
import com.mongodb.connection.ServerId;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.event.CommandSucceededEvent;
import com.mongodb.event.ConnectionPoolCreatedEvent;
import com.phishnet.store.apikeys.ApiKeyUses;
import com.phishnet.store.backup.BackupMetrics;
import com.phishnet.store.backup.BackupProperties;
import com.phishnet.store.backup.BackupSchedule;
import com.phishnet.store.backup.ScheduledBackups;
import com.phishnet.store.credentials.KeyRotationMetrics;
import com.phishnet.store.platform.mongo.Lease;
import com.phishnet.store.platform.mongo.MongoMetricsTags;
import com.phishnet.store.platform.mongo.SlowCommandLog;
import com.phishnet.store.platform.mongo.SlowCommandProperties;
import com.phishnet.store.platform.redis.CacheProperties;
import com.phishnet.store.platform.redis.RateLimiter;
import com.phishnet.store.platform.redis.ResilientRedis;
import com.phishnet.store.retention.RetentionProperties;
import com.phishnet.store.retention.RetentionRuns;
import com.phishnet.store.retention.RetentionSchedule;
import com.phishnet.store.scans.ScanMetrics;
import com.phishnet.store.streams.StreamMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.mongodb.MongoMetricsCommandListener;
import io.micrometer.core.instrument.binder.mongodb.MongoMetricsConnectionPoolListener;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.bson.BsonDocument;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsProperties;
import org.springframework.boot.micrometer.metrics.autoconfigure.PropertiesMeterFilter;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.server.reactive.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.reactive.observation.ServerHttpObservationDocumentation;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;

/**
 * The meters the service exposes, each registered by the code that registers it in the running service wherever
 * that code can be built without I/O (the metric classes, the schedules, the Redis breaker, Micrometer's MongoDB
 * listeners fed driver events, Spring's HTTP server observation), into a Prometheus registry configured from the
 * shipped application.yaml ({@code management.metrics.*}, as Boot's {@link PropertiesMeterFilter} applies it). A
 * scrape of it shows the exact names, histogram buckets and tags Prometheus sees, for the dashboard's check and the
 * histogram settings' tests. Meters registered lazily by package-private code are declared here by their public
 * name constants and kind.
 */
public final class MeterCatalog {

    private MeterCatalog() {
    }

    /** An empty Prometheus registry with the shipped {@code management.metrics} settings. */
    public static PrometheusMeterRegistry shippedRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new PropertiesMeterFilter(shipped().bind("management.metrics",
                MetricsProperties.class).get()));
        return registry;
    }

    /** Every meter of the service, each with one recorded value. */
    public static PrometheusMeterRegistry everyMeter() {
        PrometheusMeterRegistry registry = shippedRegistry();
        httpServerRequest(registry, "/api/v1/scans", 201);
        mongoDriver(registry);
        platform(registry);
        features(registry);
        return registry;
    }

    /** The sample names of a scrape, such as {@code http_server_requests_seconds_bucket}. */
    public static Set<String> sampleNames(PrometheusMeterRegistry registry) {
        Set<String> names = new TreeSet<>();
        for (String line : registry.scrape().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int end = line.indexOf('{');
                names.add(line.substring(0, end >= 0 ? end : line.indexOf(' ')));
            }
        }
        return names;
    }

    /** One request through Spring's server observation, as WebFlux records it (a timer and a long-task timer). */
    public static void httpServerRequest(MeterRegistry meters, String pathPattern, int status) {
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        MockServerHttpResponse response = new MockServerHttpResponse();
        response.setRawStatusCode(status);
        ServerRequestObservationContext context = new ServerRequestObservationContext(
                MockServerHttpRequest.post(pathPattern).build(), response, Map.of());
        context.setPathPattern(pathPattern);
        Observation observation = ServerHttpObservationDocumentation.HTTP_REACTIVE_SERVER_REQUESTS.observation(null,
                new DefaultServerRequestObservationConvention(), () -> context, observations);
        observation.start();
        observation.stop();
    }

    private static void mongoDriver(MeterRegistry meters) {
        MongoMetricsTags tags = new MongoMetricsTags();
        MongoMetricsCommandListener commands = new MongoMetricsCommandListener(meters, tags.mongoCommandTagsProvider());
        SlowCommandLog slow = new SlowCommandLog(new SlowCommandProperties(Duration.ZERO, 16), meters);
        ServerId server = new ServerId(new ClusterId("c1"), new ServerAddress("db-1.internal.example"));
        ConnectionDescription connection = new ConnectionDescription(server);
        CommandStartedEvent started = new CommandStartedEvent(null, 1, 1, connection, "phishnet", "find",
                BsonDocument.parse("{find: 'scan_results', filter: {tenantId: 'acme'}}"));
        CommandSucceededEvent succeeded = new CommandSucceededEvent(null, 1, 1, connection, "phishnet", "find",
                BsonDocument.parse("{ok: 1}"), TimeUnit.MILLISECONDS.toNanos(3));
        commands.commandStarted(started);
        slow.commandStarted(started);
        commands.commandSucceeded(succeeded);
        slow.commandSucceeded(succeeded);
        new MongoMetricsConnectionPoolListener(meters, tags.mongoConnectionPoolTagsProvider())
                .connectionPoolCreated(new ConnectionPoolCreatedEvent(server, ConnectionPoolSettings.builder().build()));
    }

    private static void platform(MeterRegistry meters) {
        // The breaker's gauges and timers come from resilience4j's binder, which the constructor binds.
        new ResilientRedis(mock(ReactiveStringRedisTemplate.class),
                shipped().bind("phishnet.cache", CacheProperties.class).get(), meters);
        meters.counter(ResilientRedis.REQUESTS, "cache", "reputation", "result", "hit");
        meters.counter(RateLimiter.DECISIONS, "mode", "redis", "outcome", "allowed");
    }

    private static void features(MeterRegistry meters) {
        new ScanMetrics(meters);
        new BackupMetrics(meters);
        new KeyRotationMetrics(meters);
        new StreamMetrics(meters);
        meters.counter(ApiKeyUses.FAILURES);
        meters.counter(StreamMetrics.OVERFLOWS, "stream", "scans");
        meters.counter(StreamMetrics.RESUMES, "stream", "scans", "by", "client");
        meters.counter(StreamMetrics.RESETS, "stream", "scans");
        Binder shipped = shipped();
        new RetentionSchedule(shipped.bind("phishnet.retention", RetentionProperties.class).get(), mock(Lease.class),
                mock(RetentionRuns.class), Clock.systemUTC(), meters);
        BackupProperties backup = shipped.bind("phishnet.backup", BackupProperties.class).get();
        // The shipped file schedules no backup; the schedule (and its meters) exists only with a cron.
        new BackupSchedule(new BackupProperties(backup.store(), backup.directory(), backup.staging(), backup.s3(),
                backup.encryption(), backup.batchSize(), backup.compressionThreads(), backup.snapshotWindow(),
                backup.retention(), new BackupProperties.Schedule("0 30 1 * * *", backup.schedule().lease())),
                mock(Lease.class), mock(ScheduledBackups.class), Clock.systemUTC(), meters);
    }

    /** The shipped application.yaml as a binder, placeholders such as ${spring.application.name} resolved. */
    public static Binder shipped() {
        try {
            List<PropertySource<?>> yaml = new YamlPropertySourceLoader().load("application",
                    new ClassPathResource("application.yaml"));
            Iterable<ConfigurationPropertySource> sources = ConfigurationPropertySources.from(yaml);
            return new Binder(sources, new PropertySourcesPlaceholdersResolver(yaml));
        }
        catch (IOException failure) {
            throw new IllegalStateException(failure);
        }
    }
}
