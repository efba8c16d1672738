package com.phishnet.store.erasure;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;

import com.phishnet.store.erasure.ErasureRequests.EraseUser;
import com.phishnet.store.erasure.ErasureRequests.ErasureReport;
import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.Requires;
import com.phishnet.store.platform.web.InputBounds;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * GDPR erasure of a user's personal data, for an ADMIN of the user's tenant; an operator erases in another tenant
 * by naming it ({@code ?tenant=}), as on the retention routes.
 */
@RestController
public class ErasureController {

    private final ErasureService erasure;

    public ErasureController(ErasureService erasure) {
        this.erasure = erasure;
    }

    /** 200 with what this run did; re-POSTing completes an interrupted erasure and is otherwise harmless. */
    @PostMapping("/api/v1/admin/users/{id}/erasure")
    @Operation(summary = "Erase a user's personal data")
    @Requires(Rule.ADMIN_AND_OPERATOR_FOR_ANOTHER_TENANT)
    public Mono<ErasureReport> erase(Caller caller, @PathVariable String id,
            @RequestParam(required = false) @Pattern(regexp = InputBounds.TENANT_ID_PATTERN) String tenant,
            @Valid @RequestBody EraseUser request) {
        return erasure.erase(caller, tenant, id, request.reason());
    }
}
