package com.phishnet.store.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import com.phishnet.store.analytics.AnalyticsRequests.VerdictCounts;
import com.phishnet.store.support.RedisFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Cached counters against a real redis-server: served from cache until a write evicts them. */
class StatsCacheTest {

    private final RedisFixture fixture = new RedisFixture();
    private final StatsCache cache = new StatsCache(fixture.redis());
    private final AtomicInteger loads = new AtomicInteger();
    private volatile VerdictCounts current = new VerdictCounts(3, 1, 1, 1, 0, Instant.parse("2026-11-23T10:00:00Z"));

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void countersAreLoadedOnceThenServedFromTheCache() {
        assertThat(cache.tenant("acme", this::load).block()).isEqualTo(current);
        assertThat(cache.tenant("acme", this::load).block()).isEqualTo(current);

        assertThat(loads.get()).isEqualTo(1);
    }

    @Test
    void anEvictionAfterAWriteShowsTheNewCounters() {
        cache.user("acme", "u-1", this::load).block();
        current = new VerdictCounts(4, 1, 1, 2, 0, null);

        cache.evict("acme", "u-1").block();

        assertThat(cache.user("acme", "u-1", this::load).block()).isEqualTo(current);
        assertThat(loads.get()).isEqualTo(2);
    }

    @Test
    void tenantsNeverShareEntries() {
        cache.tenant("acme", this::load).block();

        cache.tenant("globex", this::load).block();

        assertThat(loads.get()).isEqualTo(2);
    }

    @Test
    void theShortTtlBoundsStaleness() {
        cache.tenant("acme", this::load).block();

        assertThat(fixture.redis().ttl(StatsCache.tenantKey("acme")).block().orElseThrow())
                .isLessThanOrEqualTo(StatsCache.TTL).isPositive();
    }

    @Test
    void encodingRoundTrips() {
        VerdictCounts withoutTime = new VerdictCounts(1, 0, 0, 1, 2, null);

        assertThat(StatsCache.decode(StatsCache.encode(current))).isEqualTo(current);
        assertThat(StatsCache.decode(StatsCache.encode(withoutTime))).isEqualTo(withoutTime);
    }

    private Mono<VerdictCounts> load() {
        return Mono.fromCallable(() -> {
            loads.incrementAndGet();
            return current;
        });
    }
    @Test
    void aFeedbackAgreementReportIsLoadedOncePerTenantAndRangeThenServedFromTheCache() {
        Instant from = Instant.parse("2026-11-01T00:00:00Z");
        Instant to = Instant.parse("2026-11-02T00:00:00Z");
        var report = new AnalyticsRequests.FeedbackAgreementReport(from, to, java.util.List.of(
                new AnalyticsRequests.FeedbackAgreement("m-1", "MALICIOUS", 4, 3, 0.75, 1, 0, 0, 2, 4.5)), false);
        java.util.function.Supplier<reactor.core.publisher.Mono<AnalyticsRequests.FeedbackAgreementReport>> loader = () -> {
            loads.incrementAndGet();
            return reactor.core.publisher.Mono.just(report);
        };

        assertThat(cache.feedback("acme", from, to, loader).block()).isEqualTo(report);
        assertThat(cache.feedback("acme", from, to, loader).block()).isEqualTo(report);
        cache.feedback("acme", from, to.plusSeconds(1), loader).block();
        cache.feedback("globex", from, to, loader).block();

        assertThat(loads.get()).isEqualTo(3);
    }
}
