package com.phishnet.store.audit;

import java.time.Instant;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import com.phishnet.store.audit.AuditRequests.AuditEntryView;
import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.Requires;
import com.phishnet.store.platform.web.PageRequest;
import com.phishnet.store.platform.web.PageResponse;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** The audit trail for admins: query it, and verify a tenant's hash chain. */
@RestController
@RequestMapping("/api/v1/admin/audit")
public class AuditController {

    private final AuditService audit;

    public AuditController(AuditService audit) {
        this.audit = audit;
    }

    @GetMapping
    @Operation(summary = "Query the audit trail")
    @Requires(Rule.ADMIN)
    public Mono<PageResponse<AuditEntryView>> query(Caller caller, ServerWebExchange exchange,
            @RequestParam(required = false) AuditEventType eventType, @RequestParam(required = false) String actorId,
            @RequestParam(required = false) String targetId, @RequestParam(required = false) Instant from,
            @RequestParam(required = false) Instant to,
            @RequestParam(defaultValue = "1") @Min(1) int page,
            @RequestParam(defaultValue = "" + PageRequest.DEFAULT_SIZE) @Min(1) @Max(PageRequest.MAX_SIZE) int size) {
        return audit.query(caller, new AuditFilter(eventType, actorId, targetId, from, to), new PageRequest(page, size),
                exchange.getRequest().getURI());
    }

    /** A tenant admin verifies their own chain; another tenant's is service-wide work. */
    @GetMapping("/verify")
    @Operation(summary = "Verify a tenant's audit chain")
    @Requires(Rule.ADMIN_AND_OPERATOR_FOR_ANOTHER_TENANT)
    public Mono<ChainVerification> verify(Caller caller, @RequestParam(required = false) String tenant) {
        return audit.verify(caller, tenant);
    }
}
