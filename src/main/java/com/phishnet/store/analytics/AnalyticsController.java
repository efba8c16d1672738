package com.phishnet.store.analytics;

import java.time.Duration;
import java.time.Instant;

import com.phishnet.store.analytics.AnalyticsRequests.DailySeries;
import com.phishnet.store.analytics.AnalyticsRequests.SystemStats;
import com.phishnet.store.analytics.AnalyticsRequests.VerdictCounts;
import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.Requires;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.users.UserService;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Per-user and per-tenant statistics, daily series, and admin system statistics. */
@RestController
public class AnalyticsController {

    static final Duration MAX_RANGE = Duration.ofDays(366);

    private final TenantStatsService tenantStats;
    private final SystemStatsService systemStats;
    private final UserService users;

    private final StatsCache cache;

    public AnalyticsController(TenantStatsService tenantStats, SystemStatsService systemStats, UserService users,
            StatsCache cache) {
        this.cache = cache;
        this.tenantStats = tenantStats;
        this.systemStats = systemStats;
        this.users = users;
    }

    @GetMapping("/api/v1/analytics/tenant")
    @Requires(Rule.ANALYST_OR_ADMIN)
    public Mono<VerdictCounts> tenant(Caller caller) {
        return cache.tenant(caller.tenantId(), () -> tenantStats.counts(caller));
    }

    @GetMapping("/api/v1/analytics/users/{id}")
    @Requires(Rule.SELF_OR_ANALYST_OR_ADMIN)
    public Mono<VerdictCounts> user(Caller caller, @PathVariable String id) {
        return cache.user(caller.tenantId(), id, () -> users.get(caller, id).map(user -> new VerdictCounts(
                user.stats().total(), user.stats().clean(), user.stats().suspicious(), user.stats().malicious(), 0,
                user.stats().lastScanAt())));
    }

    /** Scans per UTC day and (effective) verdict; at most a year at a time. */
    @GetMapping("/api/v1/analytics/daily")
    @Requires(Rule.ANALYST_OR_ADMIN)
    public Mono<DailySeries> daily(Caller caller, @RequestParam Instant from, @RequestParam Instant to,
            @RequestParam(required = false) String userId) {
        if (!from.isBefore(to)) {
            throw new ApiException.InvalidField("to", "must be after from");
        }
        if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
            throw new ApiException.InvalidField("to", "the range may span at most 366 days");
        }
        return tenantStats.daily(caller, from, to, userId).map(days -> new DailySeries(from, to, days));
    }

    /** Every collection's size and count, across tenants: service operators only. */
    @GetMapping("/api/v1/admin/system-stats")
    @Requires(Rule.OPERATOR)
    public Mono<SystemStats> system(Caller caller) {
        return systemStats.stats();
    }
}
