package com.phishnet.store.retention;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.phishnet.store.audit.AuditEvent;
import com.phishnet.store.audit.AuditEventType;
import com.phishnet.store.audit.AuditOutcome;
import com.phishnet.store.audit.AuditService;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.time.IdSource;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.platform.web.PageRequest;
import com.phishnet.store.platform.web.PageResponse;
import com.phishnet.store.retention.RetentionPolicy.Source;
import com.phishnet.store.retention.RetentionRequests.HoldView;
import com.phishnet.store.retention.RetentionRequests.PlaceHold;
import com.phishnet.store.retention.RetentionRequests.PoliciesView;
import com.phishnet.store.users.UserService;

import org.springframework.stereotype.Service;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * Retention policies (the service's defaults, a tenant's overrides) and legal holds. Each acts on one tenant: the
 * caller's, or for an operator the one {@code ?tenant=} names; every change is audited in that tenant's chain, in the
 * transaction that makes it.
 */
@Service
public class RetentionService {

    /** The time-series collection's expireAfterSeconds, set by V001: what {@link RetainedData#SYSTEM_METRICS} shows. */
    public static final Duration METRICS_EXPIRY = Duration.ofDays(30);

    private final RetentionRepository repository;
    private final RetentionProperties properties;
    private final UserService users;
    private final AuditService audit;
    private final Transactions transactions;
    private final Clock clock;
    private final IdSource ids;

    public RetentionService(RetentionRepository repository, RetentionProperties properties, UserService users,
            AuditService audit, Transactions transactions, Clock clock, IdSource ids) {
        this.repository = repository;
        this.properties = properties;
        this.users = users;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.ids = ids;
    }

    // ---- policies ------------------------------------------------------------------------------------------

    public Mono<PoliciesView> policies(Caller caller, String tenantParameter) {
        String tenant = tenant(caller, tenantParameter);
        return repository.override(tenant)
                .map(override -> view(tenant, override))
                .switchIfEmpty(Mono.fromSupplier(() -> view(tenant, null)));
    }

    /** Replaces the tenant's overrides; {@code {}} drops them. A bad kind or a day count out of bounds is a 400. */
    public Mono<PoliciesView> replacePolicies(Caller caller, String tenantParameter, Map<String, Integer> days) {
        String tenant = tenant(caller, tenantParameter);
        Map<String, Integer> checked = checked(days);
        Instant now = clock.instant();
        return transactions.run(tenant, () -> repository.override(tenant).map(RetentionOverride::days)
                .defaultIfEmpty(Map.of())
                .flatMap(before -> (checked.isEmpty() ? repository.deleteOverride(tenant).then(Mono.<RetentionOverride>empty())
                                : repository.saveOverride(new RetentionOverride(tenant, checked, now, caller.subject())))
                        .then(audit.record(event(caller, tenant, AuditEventType.RETENTION_POLICY_CHANGED,
                                        RetentionFields.POLICIES, tenant)
                                .withDetail("before", describe(before)).withDetail("after", describe(checked))))
                        .thenReturn(view(tenant, checked.isEmpty() ? null
                                : new RetentionOverride(tenant, checked, now, caller.subject())))));
    }

    /** Every kind of data with the days that apply to the tenant now, and where they come from. */
    List<RetentionPolicy> effective(RetentionOverride override, Instant now) {
        List<RetentionPolicy> policies = new ArrayList<>();
        for (RetainedData data : RetainedData.values()) {
            Integer overridden = override == null ? null : override.days().get(data.name());
            if (!data.overridable()) {
                policies.add(RetentionPolicy.of(data, properties.defaultDays(data, METRICS_EXPIRY), Source.SERVER, now));
            }
            else if (overridden != null) {
                // A minimum raised after the override was stored still holds.
                policies.add(RetentionPolicy.of(data, Math.max(overridden, properties.minimumDays(data)), Source.TENANT, now));
            }
            else {
                policies.add(RetentionPolicy.of(data, properties.defaultDays(data, METRICS_EXPIRY), Source.DEFAULT, now));
            }
        }
        return policies;
    }

    private PoliciesView view(String tenant, RetentionOverride override) {
        return new PoliciesView(tenant, effective(override, clock.instant()),
                override == null ? null : override.updatedAt(), override == null ? null : override.updatedBy());
    }

    /** Exact names of overridable kinds only, each at least its minimum; in name order, so the audit reads stably. */
    Map<String, Integer> checked(Map<String, Integer> days) {
        Map<String, Integer> checked = new TreeMap<>();
        for (Map.Entry<String, Integer> entry : days.entrySet()) {
            RetainedData data = overridable(entry.getKey());
            int minimum = properties.minimumDays(data);
            if (entry.getValue() < minimum) {
                throw new ApiException.InvalidField("days." + entry.getKey(), data + " is kept at least " + minimum
                        + " days");
            }
            checked.put(data.name(), entry.getValue());
        }
        return checked;
    }

    private static RetainedData overridable(String name) {
        for (RetainedData data : RetainedData.values()) {
            if (data.name().equals(name) && data.overridable()) {
                return data;
            }
        }
        throw new ApiException.InvalidField("days." + name, "Not a kind of data a tenant may set: use one of "
                + java.util.Arrays.stream(RetainedData.values()).filter(RetainedData::overridable).map(Enum::name).toList());
    }

    private static String describe(Map<String, Integer> days) {
        return days.isEmpty() ? "defaults" : days.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue())
                .collect(Collectors.joining(","));
    }

    // ---- legal holds ---------------------------------------------------------------------------------------

    public static URI holdLocation(String id) {
        return UriComponentsBuilder.fromPath("/api/v1/admin/legal-holds/{id}").build(id);
    }

    public static URI holdLocation(String id, String tenantParameter) {
        return tenantParameter == null || tenantParameter.isBlank() ? holdLocation(id)
                : UriComponentsBuilder.fromPath("/api/v1/admin/legal-holds/{id}").queryParam("tenant", "{tenant}")
                        .build(id, tenantParameter);
    }

    /** Places a hold on the tenant or one of its users (404 for a user it does not have). */
    public Mono<HoldView> placeHold(Caller caller, String tenantParameter, PlaceHold request) {
        String tenant = tenant(caller, tenantParameter);
        Mono<Void> userExists = request.userId() == null ? Mono.empty() : users.exists(tenant, request.userId())
                .flatMap(exists -> exists ? Mono.<Void>empty()
                        : Mono.error(new ApiException.NotFound("No user " + request.userId() + ".")));
        return userExists.then(Mono.defer(() -> {
            LegalHold hold = new LegalHold(ids.newId(), tenant, request.userId(), request.reason().strip(),
                    LegalHoldState.ACTIVE, caller.subject(), clock.instant(), null, null, null);
            return transactions.run(tenant, () -> repository.insertHold(hold)
                    .flatMap(placed -> audit.record(event(caller, tenant, AuditEventType.LEGAL_HOLD_PLACED,
                                    RetentionFields.HOLDS, placed.id())
                                    .withDetail("scope", placed.userId() == null ? "tenant" : "user " + placed.userId()))
                            .thenReturn(HoldView.of(placed))));
        }));
    }

    public Mono<HoldView> hold(Caller caller, String tenantParameter, String id) {
        return repository.hold(tenant(caller, tenantParameter), id).map(HoldView::of)
                .switchIfEmpty(Mono.error(() -> new ApiException.NotFound("No legal hold " + id + ".")));
    }

    public Mono<PageResponse<HoldView>> holds(Caller caller, String tenantParameter, LegalHoldState state,
            PageRequest page, URI uri) {
        String tenant = tenant(caller, tenantParameter);
        return Mono.zip(repository.holds(tenant, state, page).map(HoldView::of).collectList(),
                        repository.countHolds(tenant, state))
                .map(result -> PageResponse.of(result.getT1(), page, result.getT2(), uri));
    }

    /** Lifts an active hold, keeping its record; 409 once lifted, 404 for an unknown one or another tenant's. */
    public Mono<HoldView> liftHold(Caller caller, String tenantParameter, String id, String reason) {
        String tenant = tenant(caller, tenantParameter);
        return hold(caller, tenantParameter, id)
                .flatMap(existing -> existing.state() == LegalHoldState.LIFTED
                        ? Mono.error(new ApiException.Conflict("Legal hold " + id + " was already lifted."))
                        : transactions.run(tenant, () -> repository.lift(tenant, id, caller.subject(),
                                        reason == null ? null : reason.strip(), clock.instant())
                                .flatMap(lifted -> audit.record(event(caller, tenant, AuditEventType.LEGAL_HOLD_LIFTED,
                                                RetentionFields.HOLDS, id))
                                        .thenReturn(HoldView.of(lifted))))
                                .switchIfEmpty(Mono.error(() -> new ApiException.Conflict("Legal hold " + id
                                        + " was lifted meanwhile."))));
    }

    /** Whether an active hold covers this user's data (a hold on the user or on the whole tenant). */
    public Mono<Boolean> isHeld(String tenantId, String userId) {
        return repository.isHeld(tenantId, userId);
    }

    /** Every active hold, of every tenant (for retention runs). */
    Mono<List<LegalHold>> activeHolds() {
        return repository.activeHolds().collectList();
    }

    /** Every tenant's overrides by tenant id (for retention runs). */
    Mono<Map<String, RetentionOverride>> overridesByTenant() {
        return repository.overrides().collectMap(RetentionOverride::tenantId);
    }

    /** The instant before which a tenant's data of this kind has expired at {@code now}; no override = the defaults. */
    Instant expiresBefore(RetainedData data, RetentionOverride override, Instant now) {
        return effective(override, now).stream().filter(policy -> policy.data() == data).findFirst().orElseThrow()
                .expiresBefore();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** The caller's tenant, or the one named; the route's rule already required the operator scope for another. */
    private static String tenant(Caller caller, String tenantParameter) {
        return tenantParameter == null || tenantParameter.isBlank() ? caller.tenantId() : tenantParameter;
    }

    /**
     * In the tenant's chain, whoever acted: its admins see who changed their policies or held their data. Subjects
     * are per tenant, so an operator from another tenant is named with its tenant.
     */
    static AuditEvent event(Caller caller, String tenant, AuditEventType type, String targetType, String targetId) {
        Map<String, String> details = tenant.equals(caller.tenantId()) ? Map.of() : Map.of("actorTenant", caller.tenantId());
        return new AuditEvent(tenant, type, caller.subject(), targetType, targetId, AuditOutcome.SUCCESS, caller.ip(),
                caller.userAgent(), caller.requestId(), details);
    }
}
