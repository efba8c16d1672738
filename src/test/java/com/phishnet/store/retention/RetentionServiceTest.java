package com.phishnet.store.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.phishnet.store.audit.AuditService;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.retention.RetentionPolicy.Source;
import com.phishnet.store.users.UserService;
import org.junit.jupiter.api.Test;

/** Policy arithmetic with an injected clock, and the rules of a tenant's overrides. */
class RetentionServiceTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    static final RetentionProperties.Run RUN = new RetentionProperties.Run(true, "0 0 2 * * *", java.time.Duration.ofHours(6),
            1000, java.time.Duration.ofMillis(50), 20_000, 1_000_000);

    private final RetentionProperties defaults = new RetentionProperties(
            new RetentionProperties.Days(90, 365, 730, 1095, 180), new RetentionProperties.Minimum(365), RUN);
    private final RetentionService service = new RetentionService(mock(RetentionRepository.class), defaults,
            mock(UserService.class), mock(AuditService.class), mock(Transactions.class), Clock.fixed(NOW, ZoneOffset.UTC),
            () -> "h-1");

    @Test
    void withoutOverridesEveryKindHasItsDefaultAndExpiresThatManyDaysBeforeNow() {
        List<RetentionPolicy> policies = service.effective(null, NOW);

        assertThat(policies).extracting(RetentionPolicy::data).containsExactly(RetainedData.values());
        assertThat(policies.get(0)).isEqualTo(new RetentionPolicy(RetainedData.EMAILS_META, "emails_meta", 90,
                Source.DEFAULT, Instant.parse("2026-09-07T10:00:00Z")));
        assertThat(policies).filteredOn(policy -> policy.data() == RetainedData.AUDIT_LOGS).singleElement()
                .satisfies(policy -> assertThat(policy.expiresBefore()).isEqualTo(Instant.parse("2023-12-07T10:00:00Z")));
        assertThat(policies).filteredOn(policy -> policy.data() == RetainedData.SYSTEM_METRICS).singleElement()
                .satisfies(policy -> {
                    assertThat(policy.source()).isEqualTo(Source.SERVER);
                    assertThat(policy.days()).isEqualTo(30);
                });
    }

    @Test
    void aTenantsOverrideReplacesOnlyTheKindsItNames() {
        var override = new RetentionOverride("acme", Map.of("SCAN_RESULTS", 30), NOW, "admin-1");

        List<RetentionPolicy> policies = service.effective(override, NOW);

        assertThat(policies).filteredOn(policy -> policy.source() == Source.TENANT).singleElement()
                .satisfies(policy -> {
                    assertThat(policy.data()).isEqualTo(RetainedData.SCAN_RESULTS);
                    assertThat(policy.expiresBefore()).isEqualTo(Instant.parse("2026-11-06T10:00:00Z"));
                });
        assertThat(policies).filteredOn(policy -> policy.source() == Source.DEFAULT).hasSize(4);
    }

    @Test
    void overridesNameOverridableKindsExactlyAndKeepAuditEntriesAtLeastItsMinimum() {
        assertThat(service.checked(Map.of("JOBS", 7, "AUDIT_LOGS", 365))).containsExactly(
                Map.entry("AUDIT_LOGS", 365), Map.entry("JOBS", 7));
        assertThatThrownBy(() -> service.checked(Map.of("AUDIT_LOGS", 364)))
                .isInstanceOfSatisfying(ApiException.InvalidField.class,
                        invalid -> assertThat(invalid.field()).isEqualTo("days.AUDIT_LOGS"))
                .hasMessageContaining("365");
        for (String name : List.of("SYSTEM_METRICS", "emails_meta", "EMAILS META", "USERS", "0", "$set")) {
            assertThatThrownBy(() -> service.checked(Map.of(name, 30))).as(name)
                    .isInstanceOf(ApiException.InvalidField.class).hasMessageContaining("EMAILS_META");
        }
    }

    @Test
    void anOverrideBelowAMinimumRaisedLaterIsShownAtTheMinimum() {
        var stored = new RetentionOverride("acme", Map.of("AUDIT_LOGS", 400), NOW, "admin-1");
        var raised = new RetentionService(mock(RetentionRepository.class), new RetentionProperties(
                new RetentionProperties.Days(90, 365, 730, 1095, 180), new RetentionProperties.Minimum(730), RUN),
                mock(UserService.class), mock(AuditService.class), mock(Transactions.class),
                Clock.fixed(NOW, ZoneOffset.UTC), () -> "h-1");

        assertThat(raised.effective(stored, NOW)).filteredOn(policy -> policy.data() == RetainedData.AUDIT_LOGS)
                .singleElement().satisfies(policy -> assertThat(policy.days()).isEqualTo(730));
    }

    @Test
    void aDefaultAuditRetentionBelowItsOwnMinimumIsRefusedAtStartup() {
        assertThatThrownBy(() -> new RetentionProperties(new RetentionProperties.Days(90, 365, 730, 100, 180),
                new RetentionProperties.Minimum(365), RUN)).hasMessageContaining("audit-logs");
    }

    @Test
    void anOperatorActingOnAnotherTenantIsNamedWithItsOwnTenantInTheTargetsChain() {
        var operator = new com.phishnet.store.platform.security.Caller("admin-1", "ops",
                java.util.Set.of(com.phishnet.store.platform.security.Access.Role.ADMIN), java.util.Set.of("service:operator"),
                "127.0.0.1", "t", "r");

        var event = RetentionService.event(operator, "acme", com.phishnet.store.audit.AuditEventType.LEGAL_HOLD_PLACED,
                RetentionFields.HOLDS, "h-1");

        assertThat(event.tenantId()).isEqualTo("acme");
        assertThat(event.details()).containsEntry("actorTenant", "ops");
        assertThat(RetentionService.event(operator, "ops", com.phishnet.store.audit.AuditEventType.LEGAL_HOLD_PLACED,
                RetentionFields.HOLDS, "h-1").details()).isEmpty();
        assertThat(RetentionService.holdLocation("h-1", "acme").toString()).isEqualTo("/api/v1/admin/legal-holds/h-1?tenant=acme");
        assertThat(RetentionService.holdLocation("h-1", null).toString()).isEqualTo("/api/v1/admin/legal-holds/h-1");
    }
}
