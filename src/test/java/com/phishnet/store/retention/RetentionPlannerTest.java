package com.phishnet.store.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The filters a retention run counts, archives and deletes with, as the server receives them. */
class RetentionPlannerTest {

    private static final Instant BEFORE = Instant.parse("2026-09-07T02:00:00Z");
    private static final RetentionPlanner.Holds NONE = new RetentionPlanner.Holds(Set.of(), Map.of());

    @Test
    void expiredEmailsAreTheTenantsReceivedBeforeTheCutoffLeadingWithTheIndexedFields() {
        Document filter = RetentionPlanner.expired(RetainedData.EMAILS_META, "acme", BEFORE);

        assertThat(filter.toJson()).isEqualTo(new Document("tenantId", "acme")
                .append("receivedAt", new Document("$lt", Date.from(BEFORE))).toJson());
        assertThat(List.copyOf(filter.keySet())).containsExactly("tenantId", "receivedAt");
    }

    @Test
    void eachKindExpiresByItsOwnTimeField() {
        assertThat(RetentionPlanner.expired(RetainedData.SCAN_RESULTS, "acme", BEFORE)).containsKey("scannedAt");
        assertThat(RetentionPlanner.expired(RetainedData.FEEDBACK, "acme", BEFORE)).containsKey("createdAt");
        assertThat(RetentionPlanner.expired(RetainedData.AUDIT_LOGS, "acme", BEFORE)).containsKey("at");
    }

    @Test
    void onlyFinishedJobsExpireAndServiceJobsAreThoseWithoutATenant() {
        Document service = RetentionPlanner.expired(RetainedData.JOBS, null, BEFORE);

        assertThat(service.get("tenantId")).isEqualTo(new Document("$exists", false));
        assertThat(service.get("state")).isEqualTo(new Document("$in", List.of("COMPLETED", "FAILED")));
        assertThat(service.get("completedAt")).isEqualTo(new Document("$lt", Date.from(BEFORE)));
    }

    @Test
    void deletableSkipsFlaggedRecordsAndHeldUsersOfThatTenantOnly() {
        var holds = new RetentionPlanner.Holds(Set.of(), Map.of("acme", Set.of("u-9", "u-2"), "other", Set.of("u-5")));

        Document filter = RetentionPlanner.deletable(RetainedData.SCAN_RESULTS, "acme", BEFORE, holds);

        assertThat(filter.get("legalHold")).isEqualTo(new Document("$ne", true));
        assertThat(filter.get("userId", Document.class).getList("$nin", String.class)).containsExactlyInAnyOrder("u-2", "u-9");
        assertThat(RetentionPlanner.deletable(RetainedData.SCAN_RESULTS, "beta", BEFORE, holds)).doesNotContainKey("userId");
    }

    @Test
    void aFeedbacksUserIsItsAnalystAndJobsHaveNoHoldFlag() {
        var holds = new RetentionPlanner.Holds(Set.of(), Map.of("acme", Set.of("analyst-1")));

        assertThat(RetentionPlanner.deletable(RetainedData.FEEDBACK, "acme", BEFORE, holds).get("analystId"))
                .isEqualTo(new Document("$nin", List.of("analyst-1")));
        assertThat(RetentionPlanner.deletable(RetainedData.JOBS, "acme", BEFORE, holds))
                .doesNotContainKeys("legalHold", "userId", "analystId");
    }

    @Test
    void aHeldTenantHasNothingDeletable() {
        var holds = RetentionPlanner.Holds.of(List.of(hold("acme", null), hold("beta", "u-1")));

        assertThat(RetentionPlanner.deletable(RetainedData.EMAILS_META, "acme", BEFORE, holds)).isNull();
        assertThat(RetentionPlanner.deletable(RetainedData.EMAILS_META, "beta", BEFORE, holds)).isNotNull();
        assertThat(holds.users("beta")).containsExactly("u-1");
        assertThat(holds.tenantHeld(null)).isFalse();
    }

    @Test
    void auditEntriesGoOnlyAsAPrefixOfTheirChain() {
        assertThat(RetentionPlanner.auditPrefix("acme", 41).toJson()).isEqualTo(new Document("tenantId", "acme")
                .append("seq", new Document("$lte", 41L)).toJson());
        assertThatThrownBy(() -> RetentionPlanner.deletable(RetainedData.AUDIT_LOGS, "acme", BEFORE, NONE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oneClauseStandsAloneAndSeveralAreOrred() {
        Document one = RetentionPlanner.expired(RetainedData.FEEDBACK, "acme", BEFORE);
        Document two = RetentionPlanner.expired(RetainedData.FEEDBACK, "beta", BEFORE.minus(Duration.ofDays(30)));

        assertThat(RetentionPlanner.anyOf(List.of(one))).isSameAs(one);
        assertThat(RetentionPlanner.anyOf(List.of(one, two)).getList("$or", Document.class)).containsExactly(one, two);
        assertThatThrownBy(() -> RetentionPlanner.anyOf(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBatchIsDeletedOnlyWhereItsIdsAreStillDeletable() {
        Document deletable = RetentionPlanner.deletable(RetainedData.EMAILS_META, "acme", BEFORE, NONE);

        Document filter = RetentionPlanner.stillDeletable(List.of("e-1", "e-2"), deletable);

        assertThat(filter.getList("$and", Document.class)).containsExactly(
                new Document("_id", new Document("$in", List.of("e-1", "e-2"))), deletable);
    }

    private static LegalHold hold(String tenant, String user) {
        return new LegalHold("h-" + tenant, tenant, user, "case", LegalHoldState.ACTIVE, "admin-1", BEFORE, null, null, null);
    }
}
