package com.phishnet.store.analytics;

import java.time.Clock;
import java.time.Instant;

import com.phishnet.store.platform.time.InstanceId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Every {@code phishnet.metrics.series.interval} this instance writes its measurements ({@link MeterReadings})
 * into {@code system_metrics}. A failed write loses that interval only: it is logged, counted in
 * {@value #FAILURES}, and the next interval is written as usual (its rates cover only itself).
 */
@Component
@ConditionalOnProperty(name = "phishnet.metrics.series.enabled", havingValue = "true", matchIfMissing = true)
class ServiceMetricsRecorder implements DisposableBean {

    static final String FAILURES = "phishnet.metrics.series.failures";

    private static final Logger log = LoggerFactory.getLogger(ServiceMetricsRecorder.class);

    private final ServiceMetricsRepository repository;
    private final MeterRegistry readFrom;
    private final Clock clock;
    private final InstanceId instance;
    private final ServiceMetricsProperties properties;
    private final MeterReadings readings = new MeterReadings();
    private final Counter failures;
    private Disposable running;

    /**
     * Reads the Prometheus registry itself where there is one: once a second registry exists, the primary one is a
     * composite whose meters answer from whichever child comes first, which may keep no histogram or count per
     * step instead of since the start.
     */
    @Autowired
    ServiceMetricsRecorder(ServiceMetricsRepository repository, MeterRegistry meters,
            ObjectProvider<PrometheusMeterRegistry> prometheus, Clock clock, InstanceId instance,
            ServiceMetricsProperties properties) {
        this(repository, meters, prometheusOr(prometheus, meters), clock, instance, properties);
    }

    private static MeterRegistry prometheusOr(ObjectProvider<PrometheusMeterRegistry> prometheus, MeterRegistry meters) {
        PrometheusMeterRegistry registry = prometheus.getIfAvailable();
        return registry != null ? registry : meters;
    }

    ServiceMetricsRecorder(ServiceMetricsRepository repository, MeterRegistry meters, MeterRegistry readFrom, Clock clock,
            InstanceId instance, ServiceMetricsProperties properties) {
        this.repository = repository;
        this.readFrom = readFrom;
        this.clock = clock;
        this.instance = instance;
        this.properties = properties;
        this.failures = Counter.builder(FAILURES).description("Intervals of service metrics that could not be written")
                .register(meters);
    }

    @EventListener(ApplicationReadyEvent.class)
    synchronized void start() {
        // One loop only: two would share the readings, which remember one previous reading.
        if (running == null) {
            running = loop(Schedulers.parallel()).subscribe();
        }
    }

    @Override
    public synchronized void destroy() {
        if (running != null) {
            running.dispose();
        }
    }

    /** One write per interval, one at a time; a slow write makes the next tick wait rather than overlap. */
    Flux<Void> loop(Scheduler scheduler) {
        return Flux.interval(properties.interval(), properties.interval(), scheduler)
                .onBackpressureDrop()
                .concatMap(tick -> recordOnce(), 1);
    }

    /** Reads the meters and writes this interval; never errors. */
    Mono<Void> recordOnce() {
        return Mono.defer(() -> {
                    Instant now = clock.instant();
                    return repository.insert(instance.value(), now, readings.read(readFrom, now));
                })
                .onErrorResume(failure -> {
                    failures.increment();
                    log.warn("Service metrics of this interval were not written to {}: {}", MetricFields.COLLECTION,
                            failure.toString());
                    return Mono.empty();
                });
    }
}
