package com.phishnet.store.analytics;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;

import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.scans.Verdict;
import com.phishnet.store.users.UserService;
import com.phishnet.store.users.VerdictCounter;
import org.junit.jupiter.api.Test;

import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;

/** Which counters a scan and a correction change, in which order, and what an unknown user stops. */
class ScanCountersTest {

    private final Instant now = Instant.parse("2026-11-23T10:00:00Z");
    private final Instant scannedAt = Instant.parse("2026-11-23T09:00:00Z");
    private final Caller scanner = new Caller("scanner-1", "acme", EnumSet.noneOf(Role.class), Set.of("scans:write"),
            "203.0.113.9", "", "r-1");
    private final UserService users = mock(UserService.class);
    private final TenantStatsRepository tenantStats = mock(TenantStatsRepository.class);
    private final StatsCache cache = mock(StatsCache.class);
    private final ScanCounters counters = new ScanCounters(users, tenantStats, cache, Clock.fixed(now, ZoneOffset.UTC));

    @Test
    void aScanIsCountedForItsUserThenForItsTenant() {
        PublisherProbe<Void> userCount = PublisherProbe.empty();
        PublisherProbe<Void> tenantCount = PublisherProbe.empty();
        given(users.countScanWithin(scanner, "u-1", VerdictCounter.MALICIOUS, scannedAt)).willReturn(userCount.mono());
        given(tenantStats.countScan("acme", Verdict.MALICIOUS, scannedAt, now)).willReturn(tenantCount.mono());

        StepVerifier.create(counters.counted(scanner, "u-1", Verdict.MALICIOUS, scannedAt)).verifyComplete();

        userCount.assertWasSubscribed();
        tenantCount.assertWasSubscribed();
        var order = inOrder(users, tenantStats);
        order.verify(users).countScanWithin(scanner, "u-1", VerdictCounter.MALICIOUS, scannedAt);
        order.verify(tenantStats).countScan("acme", Verdict.MALICIOUS, scannedAt, now);
    }

    @Test
    void anUnknownUserFailsTheCountBeforeTheTenantIsCounted() {
        PublisherProbe<Void> tenantCount = PublisherProbe.empty();
        given(users.countScanWithin(any(), any(), any(), any()))
                .willReturn(Mono.error(new ApiException.NotFound("No user u-9.")));
        given(tenantStats.countScan(any(), any(), any(), any())).willReturn(tenantCount.mono());

        StepVerifier.create(counters.counted(scanner, "u-9", Verdict.CLEAN, scannedAt))
                .verifyError(ApiException.NotFound.class);

        tenantCount.assertWasNotSubscribed();
    }

    @Test
    void aCorrectionMovesTheScanForItsUserThenCountsTheTenantsFeedback() {
        PublisherProbe<Void> userMove = PublisherProbe.empty();
        PublisherProbe<Void> tenantFeedback = PublisherProbe.empty();
        given(users.moveScanWithin(scanner, "u-1", VerdictCounter.MALICIOUS, VerdictCounter.CLEAN))
                .willReturn(userMove.mono());
        given(tenantStats.countFeedback("acme", Verdict.MALICIOUS, Verdict.CLEAN, true, now))
                .willReturn(tenantFeedback.mono());

        StepVerifier.create(counters.moved(scanner, "u-1", Verdict.MALICIOUS, Verdict.CLEAN, true)).verifyComplete();

        userMove.assertWasSubscribed();
        tenantFeedback.assertWasSubscribed();
        var order = inOrder(users, tenantStats);
        order.verify(users).moveScanWithin(scanner, "u-1", VerdictCounter.MALICIOUS, VerdictCounter.CLEAN);
        order.verify(tenantStats).countFeedback("acme", Verdict.MALICIOUS, Verdict.CLEAN, true, now);
    }

    @Test
    void aCorrectionToTheSameVerdictMovesNoUserCounterButStillReachesTheTenant() {
        PublisherProbe<Void> tenantFeedback = PublisherProbe.empty();
        given(tenantStats.countFeedback("acme", Verdict.CLEAN, Verdict.CLEAN, false, now)).willReturn(tenantFeedback.mono());

        StepVerifier.create(counters.moved(scanner, "u-1", Verdict.CLEAN, Verdict.CLEAN, false)).verifyComplete();

        verify(users, never()).moveScanWithin(any(), any(), any(), any());
        tenantFeedback.assertWasSubscribed();
    }

    @Test
    void aCommitDropsTheCachedFiguresOfTheTenantAndTheUser() {
        PublisherProbe<Void> eviction = PublisherProbe.empty();
        given(cache.evict("acme", "u-1")).willReturn(eviction.mono());

        StepVerifier.create(counters.committed(scanner, "u-1")).verifyComplete();

        eviction.assertWasSubscribed();
    }

    @Test
    void everyVerdictHasAUserCounterOfTheSameName() {
        for (Verdict verdict : Verdict.values()) {
            PublisherProbe<Void> userCount = PublisherProbe.empty();
            given(users.countScanWithin(scanner, "u-1", VerdictCounter.valueOf(verdict.name()), scannedAt))
                    .willReturn(userCount.mono());
            given(tenantStats.countScan("acme", verdict, scannedAt, now)).willReturn(Mono.empty());

            StepVerifier.create(counters.counted(scanner, "u-1", verdict, scannedAt)).verifyComplete();

            userCount.assertWasSubscribed();
        }
    }
}
