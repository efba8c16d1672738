package com.phishnet.store.analytics;

import java.time.Clock;
import java.time.Instant;

import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.scans.ScanStatistics;
import com.phishnet.store.scans.Verdict;
import com.phishnet.store.users.UserService;
import com.phishnet.store.users.VerdictCounter;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The one owner of the scan counters: the user's (kept on the user by {@link UserService}) and the tenant's
 * ({@code tenant_stats}), written one after the other in the caller's transaction, and their cached copies in
 * {@link StatsCache}, dropped once that transaction has committed.
 */
@Component
class ScanCounters implements ScanStatistics {

    private final UserService users;
    private final TenantStatsRepository tenantStats;
    private final StatsCache cache;
    private final Clock clock;

    ScanCounters(UserService users, TenantStatsRepository tenantStats, StatsCache cache, Clock clock) {
        this.users = users;
        this.tenantStats = tenantStats;
        this.cache = cache;
        this.clock = clock;
    }

    @Override
    public Mono<Void> counted(Caller caller, String userId, Verdict verdict, Instant scannedAt) {
        return users.countScanWithin(caller, userId, userCounter(verdict), scannedAt)
                .then(tenantStats.countScan(caller.tenantId(), verdict, scannedAt, clock.instant()));
    }

    @Override
    public Mono<Void> moved(Caller caller, String userId, Verdict from, Verdict to, boolean firstByAnalyst) {
        Mono<Void> userMoved = from == to ? Mono.empty()
                : users.moveScanWithin(caller, userId, userCounter(from), userCounter(to));
        return userMoved.then(tenantStats.countFeedback(caller.tenantId(), from, to, firstByAnalyst, clock.instant()));
    }

    @Override
    public Mono<Void> committed(Caller caller, String userId) {
        return cache.evict(caller.tenantId(), userId);
    }

    private static VerdictCounter userCounter(Verdict verdict) {
        return switch (verdict) {
            case CLEAN -> VerdictCounter.CLEAN;
            case SUSPICIOUS -> VerdictCounter.SUSPICIOUS;
            case MALICIOUS -> VerdictCounter.MALICIOUS;
        };
    }
}
