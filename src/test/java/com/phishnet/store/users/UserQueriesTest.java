package com.phishnet.store.users;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;

import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.support.RenderedBson;
import org.junit.jupiter.api.Test;

/** The BSON of every users query and update, as sent to the server. */
class UserQueriesTest {

    @Test
    void aUserIsAlwaysLookedUpWithinItsTenant() {
        assertThat(RenderedBson.filter(UserRepository.byId("acme", "u-1"), User.class))
                .isEqualTo("{\"tenantId\": \"acme\", \"_id\": \"u-1\"}");
    }

    @Test
    void listFiltersAreEqualityMatchesAfterTheTenant() {
        assertThat(RenderedBson.filter(UserRepository.filter("acme", Role.ANALYST, UserStatus.ACTIVE), User.class))
                .isEqualTo("{\"tenantId\": \"acme\", \"role\": \"ANALYST\", \"status\": \"ACTIVE\"}");
        assertThat(RenderedBson.filter(UserRepository.filter("acme", null, null), User.class))
                .isEqualTo("{\"tenantId\": \"acme\"}");
    }

    @Test
    void aScanIsCountedUnderItsVerdictInTheUsersStatistics() {
        assertThat(RenderedBson.update(UserRepository.scanCounted(VerdictCounter.MALICIOUS,
                Instant.parse("2026-11-23T09:00:00Z")), User.class))
                .isEqualTo("{\"$inc\": {\"stats.total\": 1, \"stats.malicious\": 1}, "
                        + "\"$max\": {\"stats.lastScanAt\": {\"$date\": \"2026-11-23T09:00:00Z\"}}}");
    }

    @Test
    void aCorrectionMovesOneScanBetweenTheUsersCounters() {
        assertThat(RenderedBson.update(UserRepository.verdictMoved(VerdictCounter.MALICIOUS, VerdictCounter.CLEAN),
                User.class)).isEqualTo("{\"$inc\": {\"stats.malicious\": -1, \"stats.clean\": 1}}");
    }

    @Test
    void everyCounterIsAFieldOfTheStoredStatistics() {
        assertThat(RenderedBson.document(new User.UserStats(1, 2, 3, 4, null)).keySet())
                .contains(Arrays.stream(VerdictCounter.values()).map(VerdictCounter::field)
                        .toArray(String[]::new));
    }

    @Test
    void changesSetOnlyWhatWasGiven() {
        Instant now = Instant.parse("2026-11-23T10:00:00Z");

        assertThat(RenderedBson.update(UserRepository.changes(Role.ADMIN, null, null, now), User.class))
                .isEqualTo("{\"$set\": {\"updatedAt\": {\"$date\": \"2026-11-23T10:00:00Z\"}, \"role\": \"ADMIN\"}}");
    }
}
