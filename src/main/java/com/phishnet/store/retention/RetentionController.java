package com.phishnet.store.retention;

import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.Requires;
import com.phishnet.store.platform.web.InputBounds;
import com.phishnet.store.platform.web.PageRequest;
import com.phishnet.store.platform.web.PageResponse;
import com.phishnet.store.platform.web.SuccessStatus;
import com.phishnet.store.retention.RetentionRequests.AbandonRun;
import com.phishnet.store.retention.RetentionRequests.HoldView;
import com.phishnet.store.retention.RetentionRequests.PlaceHold;
import com.phishnet.store.retention.RetentionRequests.PoliciesView;
import com.phishnet.store.retention.RetentionRequests.PutPolicies;
import com.phishnet.store.retention.RetentionRequests.RunView;
import com.phishnet.store.retention.RetentionRequests.StartRun;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * A tenant's retention policies and legal holds, for its ADMIN; an operator acts on another tenant by naming it
 * ({@code ?tenant=}).
 */
@RestController
public class RetentionController {

    private final RetentionService retention;
    private final RetentionRuns runs;

    public RetentionController(RetentionService retention, RetentionRuns runs) {
        this.retention = retention;
        this.runs = runs;
    }

    /**
     * Runs retention now (202 + Location of the run; 409 with the running one's while another runs), or with
     * {@code {"dryRun": true}} answers 200 with what a run would archive, delete and keep, changing nothing. Runs act
     * on every tenant, so they need the service-operator scope, as backups do.
     */
    @PostMapping("/api/v1/admin/retention/runs")
    @Operation(summary = "Start a retention run (or dry-run it)")
    @SuccessStatus(value = HttpStatus.ACCEPTED, location = true,
            alsoOk = "Dry run: what a run would archive, delete and keep; nothing changed.")
    @Requires(Rule.OPERATOR)
    public Mono<ResponseEntity<Object>> startRun(Caller caller, @Valid @RequestBody StartRun request) {
        return request.dry() ? runs.dryRun(caller).map(report -> ResponseEntity.ok().body(report))
                : runs.launch(caller).map(run -> ResponseEntity.accepted().location(RetentionRuns.location(run.id()))
                        .body(run));
    }

    @GetMapping("/api/v1/admin/retention/runs")
    @Operation(summary = "List retention runs")
    @Requires(Rule.OPERATOR)
    public Mono<PageResponse<RunView>> runs(Caller caller, ServerWebExchange exchange,
            @RequestParam(defaultValue = "1") @Min(1) int page,
            @RequestParam(defaultValue = "" + PageRequest.DEFAULT_SIZE) @Min(1) @Max(PageRequest.MAX_SIZE) int size) {
        return runs.list(new PageRequest(page, size), exchange.getRequest().getURI());
    }

    /**
     * Gives up a run that stopped while deleting and that the next runs cannot settle (its archive unreadable, say): it
     * ends FAILED, its archive is no longer held. 409 for a run in another phase and while any run is in progress.
     */
    @PostMapping("/api/v1/admin/retention/runs/{id}/abandon")
    @Operation(summary = "Abandon a stuck retention run")
    @Requires(Rule.OPERATOR)
    public Mono<RunView> abandonRun(Caller caller, @PathVariable String id, @Valid @RequestBody AbandonRun request) {
        return runs.abandon(caller, id, request.reason().strip());
    }

    @GetMapping("/api/v1/admin/retention/runs/{id}")
    @Operation(summary = "Get a retention run")
    @Requires(Rule.OPERATOR)
    public Mono<RunView> run(Caller caller, @PathVariable String id) {
        return runs.get(id);
    }

    @GetMapping("/api/v1/admin/retention/policies")
    @Operation(summary = "Get the retention policies")
    @Requires(Rule.ADMIN_AND_OPERATOR_FOR_ANOTHER_TENANT)
    public Mono<PoliciesView> policies(Caller caller,
            @RequestParam(required = false) @Pattern(regexp = InputBounds.TENANT_ID_PATTERN) String tenant) {
        return retention.policies(caller, tenant);
    }

    @PutMapping("/api/v1/admin/retention/policies")
    @Operation(summary = "Replace the retention policies")
    @Requires(Rule.ADMIN_AND_OPERATOR_FOR_ANOTHER_TENANT)
    public Mono<PoliciesView> replacePolicies(Caller caller,
            @RequestParam(required = false) @Pattern(regexp = InputBounds.TENANT_ID_PATTERN) String tenant,
            @Valid @RequestBody PutPolicies request) {
        return retention.replacePolicies(caller, tenant, request.days());
    }

    @PostMapping("/api/v1/admin/legal-holds")
    @Operation(summary = "Place a legal hold")
    @SuccessStatus(value = HttpStatus.CREATED, location = true)
    @Requires(Rule.ADMIN_AND_OPERATOR_FOR_ANOTHER_TENANT)
    public Mono<ResponseEntity<HoldView>> placeHold(Caller caller,
            @RequestParam(required = false) @Pattern(regexp = InputBounds.TENANT_ID_PATTERN) String tenant,
            @Valid @RequestBody PlaceHold request) {
        return retention.placeHold(caller, tenant, request).map(hold -> ResponseEntity.status(HttpStatus.CREATED)
                .location(RetentionService.holdLocation(hold.id(), tenant)).body(hold));
    }

    @GetMapping("/api/v1/admin/legal-holds")
    @Operation(summary = "List legal holds")
    @Requires(Rule.ADMIN_AND_OPERATOR_FOR_ANOTHER_TENANT)
    public Mono<PageResponse<HoldView>> holds(Caller caller, ServerWebExchange exchange,
            @RequestParam(required = false) @Pattern(regexp = InputBounds.TENANT_ID_PATTERN) String tenant,
            @RequestParam(required = false) LegalHoldState state,
            @RequestParam(defaultValue = "1") @Min(1) int page,
            @RequestParam(defaultValue = "" + PageRequest.DEFAULT_SIZE) @Min(1) @Max(PageRequest.MAX_SIZE) int size) {
        return retention.holds(caller, tenant, state, new PageRequest(page, size), exchange.getRequest().getURI());
    }

    @GetMapping("/api/v1/admin/legal-holds/{id}")
    @Operation(summary = "Get a legal hold")
    @Requires(Rule.ADMIN_AND_OPERATOR_FOR_ANOTHER_TENANT)
    public Mono<HoldView> hold(Caller caller, @PathVariable String id,
            @RequestParam(required = false) @Pattern(regexp = InputBounds.TENANT_ID_PATTERN) String tenant) {
        return retention.hold(caller, tenant, id);
    }

    /** Lifts the hold (its record stays, LIFTED); {@code reason} is kept with it. */
    @DeleteMapping("/api/v1/admin/legal-holds/{id}")
    @Operation(summary = "Lift a legal hold")
    @Requires(Rule.ADMIN_AND_OPERATOR_FOR_ANOTHER_TENANT)
    public Mono<HoldView> liftHold(Caller caller, @PathVariable String id,
            @RequestParam(required = false) @Pattern(regexp = InputBounds.TENANT_ID_PATTERN) String tenant,
            @RequestParam(required = false) @Size(min = 1, max = RetentionFields.MAX_LIFT_REASON) String reason) {
        return retention.liftHold(caller, tenant, id, reason);
    }
}
