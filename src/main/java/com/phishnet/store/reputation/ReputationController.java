package com.phishnet.store.reputation;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.Role;
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
 */
@RestController
@RequestMapping("/api/v1/reputation")
public class ReputationController {

    public static final String WRITE_SCOPE = "reputation:write";

    private final ReputationService reputation;

    public ReputationController(ReputationService reputation) {
        this.reputation = reputation;
    }

    @GetMapping
    public Mono<ReputationView> get(Caller caller, @RequestParam SubjectType type,
            @RequestParam @NotBlank @Size(max = 2048) String subject) {
        return reputation.get(type, subject);
    }

    /** Threat-feed writers hold the reputation:write scope; analysts and admins may correct verdicts. */
    @PutMapping
    public Mono<ReputationView> put(Caller caller, @Valid @RequestBody PutVerdict request) {
        if (!caller.hasScope(WRITE_SCOPE)) {
            caller.requireAnyRole(Role.ANALYST, Role.ADMIN);
        }
        return reputation.put(request);
    }
}
