package com.phishnet.store.analytics;

import java.time.Instant;
import java.util.List;

import com.phishnet.store.analytics.AnalyticsRequests.DailyCount;
import com.phishnet.store.analytics.AnalyticsRequests.VerdictCounts;
import com.phishnet.store.platform.security.Caller;

import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** A tenant's scan statistics: its counters (kept by {@link ScanCounters}) and its daily series. */
@Service
public class TenantStatsService {

    private final TenantStatsRepository repository;

    public TenantStatsService(TenantStatsRepository repository) {
        this.repository = repository;
    }

    public Mono<VerdictCounts> counts(Caller caller) {
        return repository.find(caller.tenantId())
                .map(stats -> new VerdictCounts(orZero(stats.total()), orZero(stats.clean()), orZero(stats.suspicious()),
                        orZero(stats.malicious()), orZero(stats.feedback()), stats.lastScanAt()))
                .defaultIfEmpty(new VerdictCounts(0, 0, 0, 0, 0, null));
    }

    /** Scans per day and verdict in [from, to), by aggregation over the tenant's scans. */
    public Mono<List<DailyCount>> daily(Caller caller, Instant from, Instant to, String userId) {
        return repository.daily(caller.tenantId(), from, to, userId);
    }

    private static long orZero(Long counter) {
        return counter == null ? 0 : counter;
    }
}
