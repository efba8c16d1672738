package com.phishnet.store.reputation;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.Requires;
import com.phishnet.store.reputation.ReputationRequests.PutVerdict;
import com.phishnet.store.reputation.ReputationRequests.ReputationView;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Reputation verdicts of senders, domains, URLs and IPs. The subject is a query parameter or body field, not
 * a path segment, because URLs contain slashes.
 * <ul>
 * <li>{@code GET} answers the caller's tenant override if there is one, else the global verdict
 * ({@code scope} says which).</li>
 * <li>{@code PUT /api/v1/reputation}: an ANALYST or ADMIN sets the override of their own tenant.</li>
 * <li>{@code PUT /api/v1/reputation/global}: threat-feed writers holding the reputation-write scope set the
 * verdict every tenant sees. No tenant role implies that scope.</li>
 * </ul>
 */
@RestController
@RequestMapping("/api/v1/reputation")
public class ReputationController {

    private final ReputationService reputation;

    public ReputationController(ReputationService reputation) {
        this.reputation = reputation;
    }

    @GetMapping
    @Operation(summary = "Get a subject's verdict")
    @Requires(Rule.MEMBER)
    public Mono<ReputationView> get(Caller caller, @RequestParam SubjectType type,
            @RequestParam @NotBlank @Size(max = ReputationFields.SUBJECT_MAX) String subject) {
        return reputation.get(caller.tenantId(), type, subject);
    }

    @PutMapping
    @Operation(summary = "Set the tenant's verdict override")
    @Requires(Rule.ANALYST_OR_ADMIN)
    public Mono<ReputationView> putOverride(Caller caller, @Valid @RequestBody PutVerdict request) {
        return reputation.putOverride(caller.tenantId(), request);
    }

    @PutMapping("/global")
    @Operation(summary = "Set the global verdict")
    @Requires(Rule.REPUTATION_FEED)
    public Mono<ReputationView> putGlobal(Caller caller, @Valid @RequestBody PutVerdict request) {
        return reputation.putGlobal(request);
    }
}
