package com.phishnet.store.analytics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.phishnet.store.analytics.AnalyticsRequests.CollectionStats;
import com.phishnet.store.analytics.AnalyticsRequests.SystemStats;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Service-wide figures for service operators (never tenant admins): collection and index sizes, and the MongoDB connection pool. */
@Service
public class SystemStatsService {

    private static final List<String> POOL_METERS = List.of("mongodb.driver.pool.size",
            "mongodb.driver.pool.checkedout", "mongodb.driver.pool.waitqueuesize");

    private final SystemStatsRepository repository;
    private final MeterRegistry meters;

    public SystemStatsService(SystemStatsRepository repository, MeterRegistry meters) {
        this.repository = repository;
        this.meters = meters;
    }

    public Mono<SystemStats> stats() {
        return repository.collectionNames()
                .concatMap(this::collectionStats)
                .collectList()
                .map(collections -> new SystemStats(collections, pool()));
    }

    private Mono<CollectionStats> collectionStats(String name) {
        return repository.collectionStats(name)
                // One collection the server cannot describe must not hide the others.
                .onErrorResume(failure -> Mono.just(new CollectionStats(name, -1, -1, -1, -1, Map.of())));
    }

    private Map<String, Double> pool() {
        Map<String, Double> pool = new LinkedHashMap<>();
        POOL_METERS.forEach(meter -> pool.put(meter, meters.find(meter).gauges().stream()
                .mapToDouble(gauge -> gauge.value()).sum()));
        return pool;
    }
}
