package com.phishnet.store.apikeys;

import com.phishnet.store.apikeys.ApiKeyRequests.CreateKey;
import com.phishnet.store.apikeys.ApiKeyRequests.IssuedKey;
import com.phishnet.store.apikeys.ApiKeyRequests.KeyView;
import com.phishnet.store.apikeys.ApiKeyRequests.RotateKey;
import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.Requires;
import com.phishnet.store.platform.web.PageRequest;
import com.phishnet.store.platform.web.SuccessStatus;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * API keys for machine clients of the caller's tenant, managed by its ADMINs. A key is shown once, when it is
 * created or rotated; lists and reads never show it or its hash. Another tenant's key is not found.
 */
@RestController
@RequestMapping("/api/v1/api-keys")
public class ApiKeyController {

    private final ApiKeyService keys;

    public ApiKeyController(ApiKeyService keys) {
        this.keys = keys;
    }

    @PostMapping
    @Operation(summary = "Create an API key", description = "The key is in this response only. Scopes: scans:write;"
            + " reputation:write and credentials:read-secret only when the caller's own token carries that scope;"
            + " service:operator never. A key carries no role. A key belongs to the tenant, not to its creator:"
            + " deactivating or erasing the ADMIN who created it does not revoke it. When an ADMIN leaves, rotate or"
            + " revoke the keys they created (lists show createdBy).")
    @SuccessStatus(value = HttpStatus.CREATED, location = true)
    @Requires(Rule.ADMIN)
    public Mono<ResponseEntity<IssuedKey>> create(Caller caller, @Valid @RequestBody CreateKey request) {
        return keys.create(caller, request).map(ApiKeyController::created);
    }

    /** Newest first; offset pages, or keyset pages with {@code cursor} (empty for the first page). */
    @GetMapping
    @Operation(summary = "List API keys")
    @Requires(Rule.ADMIN)
    public Mono<?> list(Caller caller, ServerWebExchange exchange,
            @RequestParam(required = false) @Size(max = 1000) String cursor,
            @RequestParam(defaultValue = "1") @Min(1) int page,
            @RequestParam(defaultValue = "" + PageRequest.DEFAULT_SIZE) @Min(1) @Max(PageRequest.MAX_SIZE) int size) {
        return cursor != null ? keys.listAfter(caller, cursor, size)
                : keys.list(caller, new PageRequest(page, size), exchange.getRequest().getURI());
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get an API key")
    @Requires(Rule.ADMIN)
    public Mono<KeyView> get(Caller caller, @PathVariable String id) {
        return keys.get(caller, id);
    }

    /** 201 with the new key (shown once); the old one works for {@code graceSeconds} more; 409 unless active. */
    @PostMapping("/{id}/rotate")
    @Operation(summary = "Rotate an API key", description = "A new key replaces the old one, which keeps working for"
            + " graceSeconds (default 0). The new key expires at expiresAt when given, else when the old key would"
            + " have. A JSON body is required; {} takes both defaults.")
    @SuccessStatus(value = HttpStatus.CREATED, location = true)
    @Requires(Rule.ADMIN)
    public Mono<ResponseEntity<IssuedKey>> rotate(Caller caller, @PathVariable String id,
            @Valid @RequestBody RotateKey request) {
        return keys.rotate(caller, id, request).map(ApiKeyController::created);
    }

    /** The key stops working with the next request; it is kept, as revoked, for the record. */
    @DeleteMapping("/{id}")
    @Operation(summary = "Revoke an API key")
    @Requires(Rule.ADMIN)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> revoke(Caller caller, @PathVariable String id) {
        return keys.revoke(caller, id);
    }

    private static ResponseEntity<IssuedKey> created(IssuedKey issued) {
        return ResponseEntity.created(UriComponentsBuilder.fromPath("/api/v1/api-keys/{id}").build(issued.id()))
                .body(issued);
    }
}
