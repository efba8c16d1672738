package com.phishnet.store.analytics;

import java.time.Duration;
import java.time.Instant;

import com.phishnet.store.analytics.AnalyticsRequests.DailySeries;
import com.phishnet.store.analytics.AnalyticsRequests.FeedbackAgreementReport;
import com.phishnet.store.analytics.AnalyticsRequests.VerdictCounts;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.users.UserService;

import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * A tenant's scan statistics: its counters and a user's (kept by {@link ScanCounters}, read through
 * {@link StatsCache}) and its daily series.
 */
@Service
public class TenantStatsService {

    static final Duration MAX_RANGE = Duration.ofDays(366);
    static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /** Groups (model version x original verdict) one feedback agreement answer holds. */
    static final int MAX_AGREEMENT_GROUPS = 1000;

    private final TenantStatsRepository repository;
    private final UserService users;
    private final StatsCache cache;

    public TenantStatsService(TenantStatsRepository repository, UserService users, StatsCache cache) {
        this.repository = repository;
        this.users = users;
        this.cache = cache;
    }

    public Mono<VerdictCounts> counts(Caller caller) {
        return cache.tenant(caller.tenantId(), () -> repository.find(caller.tenantId())
                .map(stats -> new VerdictCounts(orZero(stats.total()), orZero(stats.clean()), orZero(stats.suspicious()),
                        orZero(stats.malicious()), orZero(stats.feedback()), stats.lastScanAt()))
                .defaultIfEmpty(new VerdictCounts(0, 0, 0, 0, 0, null)));
    }

    /** A user's counters, kept on the user; 404 for an unknown user or one of another tenant. */
    public Mono<VerdictCounts> userCounts(Caller caller, String userId) {
        return cache.user(caller.tenantId(), userId, () -> users.get(caller, userId).map(user -> new VerdictCounts(
                user.stats().total(), user.stats().clean(), user.stats().suspicious(), user.stats().malicious(), 0,
                user.stats().lastScanAt())));
    }

    /**
     * Drops what Redis holds about the user (their cached counters; GDPR erasure), after the erasure committed;
     * how many entries there were. The tenant's counters stay: they hold no one's data.
     */
    public Mono<Long> forgetUser(String tenantId, String userId) {
        return cache.dropUser(tenantId, userId);
    }

    /** Scans per UTC day and (effective) verdict in [from, to), by aggregation over the tenant's scans; a year at most. */
    public Mono<DailySeries> daily(Caller caller, Instant from, Instant to, String userId) {
        return checkRange(from, to).then(Mono.defer(() -> repository.daily(caller.tenantId(), from, to, userId)))
                .map(days -> new DailySeries(from, to, days));
    }

    /**
     * Feedback agreement per model version and original verdict over feedback created in [from, to), aggregated by
     * MongoDB and cached like the counters (a year at most).
     */
    public Mono<FeedbackAgreementReport> feedbackAgreement(Caller caller, Instant from, Instant to) {
        return checkRange(from, to).then(Mono.defer(() -> cache.feedback(caller.tenantId(), from, to,
                () -> repository.feedbackAgreement(caller.tenantId(), from, to, MAX_AGREEMENT_GROUPS + 1)
                        .map(groups -> new FeedbackAgreementReport(from, to,
                                groups.size() > MAX_AGREEMENT_GROUPS ? groups.subList(0, MAX_AGREEMENT_GROUPS) : groups,
                                groups.size() > MAX_AGREEMENT_GROUPS)))));
    }

    private static Mono<Void> checkRange(Instant from, Instant to) {
        // Far outside any stored time, and past what a BSON date holds (which would end as a 500).
        if (from.isBefore(EARLIEST) || to.isAfter(LATEST)) {
            return Mono.error(new ApiException.InvalidField(from.isBefore(EARLIEST) ? "from" : "to",
                    "must lie between " + EARLIEST + " and " + LATEST));
        }
        if (!from.isBefore(to)) {
            return Mono.error(new ApiException.InvalidField("to", "must be after from"));
        }
        if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
            return Mono.error(new ApiException.InvalidField("to", "the range may span at most 366 days"));
        }
        return Mono.empty();
    }

    private static long orZero(Long counter) {
        return counter == null ? 0 : counter;
    }
}
