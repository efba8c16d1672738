package com.phishnet.store.analytics;

import java.time.Instant;

import com.phishnet.store.analytics.AnalyticsRequests.DailySeries;
import com.phishnet.store.analytics.AnalyticsRequests.FeedbackAgreementReport;
import com.phishnet.store.analytics.AnalyticsRequests.MetricSeriesPage;
import com.phishnet.store.analytics.AnalyticsRequests.SystemStats;
import com.phishnet.store.analytics.AnalyticsRequests.VerdictCounts;
import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.Requires;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import io.swagger.v3.oas.annotations.Operation;
import reactor.core.publisher.Mono;

/** Per-user and per-tenant statistics, daily series, and admin system statistics. */
@RestController
public class AnalyticsController {

    private final TenantStatsService tenantStats;
    private final SystemStatsService systemStats;
    private final ServiceMetricsService serviceMetrics;

    public AnalyticsController(TenantStatsService tenantStats, SystemStatsService systemStats,
            ServiceMetricsService serviceMetrics) {
        this.tenantStats = tenantStats;
        this.systemStats = systemStats;
        this.serviceMetrics = serviceMetrics;
    }

    @GetMapping("/api/v1/analytics/tenant")
    @Operation(summary = "Verdict counts of the tenant")
    @Requires(Rule.ANALYST_OR_ADMIN)
    public Mono<VerdictCounts> tenant(Caller caller) {
        return tenantStats.counts(caller);
    }

    @GetMapping("/api/v1/analytics/users/{id}")
    @Operation(summary = "Verdict counts of one user")
    @Requires(Rule.SELF_OR_ANALYST_OR_ADMIN)
    public Mono<VerdictCounts> user(Caller caller, @PathVariable String id) {
        return tenantStats.userCounts(caller, id);
    }

    /** Scans per UTC day and (effective) verdict; at most a year at a time. */
    @GetMapping("/api/v1/analytics/daily")
    @Operation(summary = "Scans per day and verdict")
    @Requires(Rule.ANALYST_OR_ADMIN)
    public Mono<DailySeries> daily(Caller caller, @RequestParam Instant from, @RequestParam Instant to,
            @RequestParam(required = false) String userId) {
        return tenantStats.daily(caller, from, to, userId);
    }

    /**
     * Agreement of analyst feedback with the scans' original verdicts, per model version and original verdict,
     * over feedback created in [from, to); at most a year at a time, cached briefly.
     */
    @GetMapping("/api/v1/analytics/feedback")
    @Operation(summary = "Agreement of feedback with verdicts")
    @Requires(Rule.ANALYST_OR_ADMIN)
    public Mono<FeedbackAgreementReport> feedback(Caller caller, @RequestParam Instant from, @RequestParam Instant to) {
        return tenantStats.feedbackAgreement(caller, from, to);
    }

    /** Every collection's size and count, across tenants: service operators only. */
    @GetMapping("/api/v1/admin/system-stats")
    @Operation(summary = "Sizes of every collection")
    @Requires(Rule.OPERATOR)
    public Mono<SystemStats> system(Caller caller) {
        return systemStats.stats();
    }

    /**
     * One recorded metric ({@code system_metrics}) in buckets per instance and tags, aggregated by MongoDB:
     * service operators only, like every service-wide figure.
     */
    @GetMapping("/api/v1/admin/metrics")
    @Operation(summary = "One recorded metric in buckets")
    @Requires(Rule.OPERATOR)
    public Mono<MetricSeriesPage> metrics(Caller caller, @RequestParam String name,
            @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
            @RequestParam(required = false) String granularity, @RequestParam(required = false) String instance) {
        return serviceMetrics.series(name, from, to, granularity, instance);
    }
}
