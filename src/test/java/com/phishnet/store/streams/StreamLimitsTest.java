package com.phishnet.store.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.web.ApiException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class StreamLimitsTest {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    StreamLimits limits(int perPrincipal, int perInstance, int catchUps) {
        return new StreamLimits(SubscriptionsTest.properties(1000, perPrincipal, perInstance, catchUps),
                new StreamMetrics(registry));
    }

    static Caller caller(String subject, String tenant) {
        return new Caller(subject, tenant, Set.of(Role.USER), Set.of(), "", "", "");
    }

    double catchUpGauge() {
        return registry.get("phishnet.streams.catchup.cursors").gauge().value();
    }

    @Test
    void closingAPermitTwiceGivesBackOnePlace() {
        StreamLimits limits = limits(2, 3, 1);
        StreamLimits.Permit first = limits.open(caller("ann", "acme"));
        limits.open(caller("ann", "acme"));

        first.close();
        first.close();

        assertThat(limits.openStreams()).isEqualTo(1);
        // Had the second close freed a place too, ann could now open two more.
        limits.open(caller("ann", "acme"));
        assertThatThrownBy(() -> limits.open(caller("ann", "acme"))).isInstanceOf(ApiException.TooManyRequests.class);
    }

    @Test
    void thePerCallerBoundCountsTenantAndSubjectTogether() {
        StreamLimits limits = limits(1, 10, 1);
        limits.open(caller("ann", "acme"));

        // The same subject in another tenant is another principal, and so is another subject of the same tenant.
        limits.open(caller("ann", "globex"));
        limits.open(caller("bob", "acme"));

        assertThatThrownBy(() -> limits.open(caller("ann", "acme")))
                .isInstanceOfSatisfying(ApiException.TooManyRequests.class,
                        refused -> assertThat(refused.retryAfterSeconds()).isEqualTo(5))
                .hasMessageContaining("1 streams open");
        assertThat(limits.openStreams()).isEqualTo(3);
    }

    @Test
    void aSubjectAndTenantThatRunTogetherAreStillTwoPrincipals() {
        StreamLimits limits = limits(1, 10, 1);
        limits.open(caller("a", "bc"));

        limits.open(caller("ab", "c"));

        assertThat(limits.openStreams()).isEqualTo(2);
    }

    @Test
    void aRefusalByTheInstanceBoundTakesNoPlaceOfTheCaller() {
        StreamLimits limits = limits(1, 1, 1);
        StreamLimits.Permit held = limits.open(caller("bob", "acme"));

        assertThatThrownBy(() -> limits.open(caller("ann", "acme"))).isInstanceOf(ApiException.Unavailable.class);
        assertThat(limits.openStreams()).isEqualTo(1);

        held.close();
        // ann's refused attempt left nothing behind against her own bound of one.
        limits.open(caller("ann", "acme"));
    }

    @Test
    void aCatchUpPlaceIsGivenBackWhenThePermitClosesEvenIfTheCatchUpNeverFinished() {
        StreamLimits limits = limits(10, 10, 1);
        StreamLimits.Permit resuming = limits.open(caller("ann", "acme"));
        resuming.startCatchUp();
        assertThat(catchUpGauge()).isEqualTo(1);
        StreamLimits.Permit another = limits.open(caller("bob", "acme"));
        assertThatThrownBy(another::startCatchUp).isInstanceOf(ApiException.Unavailable.class)
                .hasMessageContaining("Last-Event-ID");

        resuming.close();

        assertThat(catchUpGauge()).isZero();
        another.startCatchUp();
        assertThat(catchUpGauge()).isEqualTo(1);
    }

    @Test
    void aCatchUpDoneAndThenClosedIsGivenBackOnce() {
        StreamLimits limits = limits(10, 10, 2);
        StreamLimits.Permit first = limits.open(caller("ann", "acme"));
        StreamLimits.Permit second = limits.open(caller("bob", "acme"));
        first.startCatchUp();
        second.startCatchUp();

        first.catchUpDone();
        first.catchUpDone();
        first.close();

        assertThat(catchUpGauge()).isEqualTo(1);
        StreamLimits.Permit third = limits.open(caller("cid", "acme"));
        third.startCatchUp();
        assertThatThrownBy(() -> limits.open(caller("dan", "acme")).startCatchUp())
                .isInstanceOf(ApiException.Unavailable.class);
    }
}
