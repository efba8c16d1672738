package com.phishnet.store.analytics;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;

import com.phishnet.store.analytics.AnalyticsRequests.VerdictCounts;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.users.UserService;
import org.junit.jupiter.api.Test;

import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Statistics are read within the caller's tenant, through the cache; bad ranges are refused before any query. */
class TenantStatsServiceTest {

    private final TenantStatsRepository repository = mock(TenantStatsRepository.class);
    private final UserService users = mock(UserService.class);
    private final StatsCache cache = mock(StatsCache.class);
    private final TenantStatsService stats = new TenantStatsService(repository, users, cache);
    private final Caller analyst = new Caller("a-1", "acme", EnumSet.of(Role.ANALYST), Set.of(), "203.0.113.9", "",
            "r-1");
    private final Instant from = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aUsersCountersAreCachedUnderTheCallersTenantAndLoadedThroughTheUsersService() {
        given(cache.user(eq("acme"), eq("u-9"), any())).willAnswer(call -> call.<Supplier<Mono<VerdictCounts>>>getArgument(2).get());
        given(users.get(analyst, "u-9")).willReturn(Mono.error(new ApiException.NotFound("No user u-9.")));

        StepVerifier.create(stats.userCounts(analyst, "u-9")).verifyError(ApiException.NotFound.class);

        verify(cache).user(eq("acme"), eq("u-9"), any());
        verify(users).get(analyst, "u-9");
    }

    @Test
    void anEmptyOrInvertedRangeIsRefused() {
        StepVerifier.create(stats.daily(analyst, from, from, null))
                .verifyErrorMatches(error -> error instanceof ApiException.InvalidField invalid
                        && invalid.field().equals("to") && invalid.getMessage().contains("after from"));
        StepVerifier.create(stats.daily(analyst, from, from.minusSeconds(1), null))
                .verifyError(ApiException.InvalidField.class);
        verifyNoInteractions(repository);
    }

    @Test
    void aRangeOverAYearIsRefused() {
        StepVerifier.create(stats.daily(analyst, from, from.plus(TenantStatsService.MAX_RANGE).plusSeconds(1), null))
                .verifyErrorMatches(error -> error instanceof ApiException.InvalidField invalid
                        && invalid.getMessage().contains("366 days"));
        verifyNoInteractions(repository);
    }
    @Test
    void instantsNoStoredTimeCanHaveAreRefusedNotTurnedIntoAServerError() {
        Instant farFuture = Instant.parse("+1000000000-01-01T00:00:00Z");
        StepVerifier.create(stats.feedbackAgreement(analyst, farFuture.minusSeconds(60), farFuture))
                .verifyErrorMatches(error -> error instanceof ApiException.InvalidField invalid && invalid.field().equals("to"));
        StepVerifier.create(stats.daily(analyst, Instant.parse("1969-12-31T00:00:00Z"), Instant.parse("1970-01-02T00:00:00Z"), null))
                .verifyErrorMatches(error -> error instanceof ApiException.InvalidField invalid && invalid.field().equals("from"));
        verifyNoInteractions(repository, cache);
    }

    @Test
    void feedbackAgreementRefusesAnInvertedOrOverlongRangeBeforeTheCacheOrAnyQuery() {
        StepVerifier.create(stats.feedbackAgreement(analyst, from, from)).verifyError(ApiException.InvalidField.class);
        StepVerifier.create(stats.feedbackAgreement(analyst, from, from.plus(TenantStatsService.MAX_RANGE).plusSeconds(1)))
                .verifyErrorMatches(error -> error instanceof ApiException.InvalidField invalid
                        && invalid.field().equals("to") && invalid.getMessage().contains("366 days"));
        verifyNoInteractions(repository, cache);
    }

    @Test
    void feedbackAgreementIsCachedUnderTheCallersTenantAndRangeAndAggregatedThere() {
        Instant to = from.plusSeconds(86_400);
        given(cache.feedback(eq("acme"), eq(from), eq(to), any())).willAnswer(call ->
                call.<Supplier<Mono<AnalyticsRequests.FeedbackAgreementReport>>>getArgument(3).get());
        given(repository.feedbackAgreement("acme", from, to, TenantStatsService.MAX_AGREEMENT_GROUPS + 1))
                .willReturn(Mono.just(java.util.List.of(
                        new AnalyticsRequests.FeedbackAgreement("m-1", "CLEAN", 2, 1, 0.5, 0, 1, 0, 0, null))));

        StepVerifier.create(stats.feedbackAgreement(analyst, from, to))
                .expectNextMatches(report -> report.groups().size() == 1 && !report.truncated()
                        && report.from().equals(from) && report.to().equals(to))
                .verifyComplete();
    }

    @Test
    void moreGroupsThanOneAnswerHoldsAreCutAndSaySo() {
        Instant to = from.plusSeconds(86_400);
        given(cache.feedback(eq("acme"), eq(from), eq(to), any())).willAnswer(call ->
                call.<Supplier<Mono<AnalyticsRequests.FeedbackAgreementReport>>>getArgument(3).get());
        var group = new AnalyticsRequests.FeedbackAgreement("m-1", "CLEAN", 1, 1, 1.0, 0, 0, 0, 0, null);
        given(repository.feedbackAgreement(any(), any(), any(), org.mockito.ArgumentMatchers.anyInt()))
                .willReturn(Mono.just(java.util.Collections.nCopies(TenantStatsService.MAX_AGREEMENT_GROUPS + 1, group)));

        StepVerifier.create(stats.feedbackAgreement(analyst, from, to))
                .expectNextMatches(report -> report.truncated()
                        && report.groups().size() == TenantStatsService.MAX_AGREEMENT_GROUPS)
                .verifyComplete();
    }
}
