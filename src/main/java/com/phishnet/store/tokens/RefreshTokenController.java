package com.phishnet.store.tokens;

import com.phishnet.store.platform.web.SuccessStatus;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.Requires;
import com.phishnet.store.platform.web.Idempotency;
import com.phishnet.store.tokens.RefreshTokenRequests.IssuedToken;
import com.phishnet.store.tokens.RefreshTokenRequests.Rotate;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Issuing, exchanging and revoking refresh tokens. */
@RestController
public class RefreshTokenController {

    private final RefreshTokenService tokens;

    public RefreshTokenController(RefreshTokenService tokens) {
        this.tokens = tokens;
    }

    /** A new token family for the user. */
    @PostMapping("/api/v1/users/{id}/refresh-tokens")
    @Operation(summary = "Issue a refresh token")
    @SuccessStatus(HttpStatus.CREATED)
    @Requires(Rule.SELF_OR_ADMIN)
    public Mono<ResponseEntity<IssuedToken>> issue(Caller caller, @PathVariable String id) {
        return tokens.issue(caller, id).map(issued -> ResponseEntity.status(HttpStatus.CREATED).body(issued));
    }

    @PostMapping("/api/v1/refresh-tokens/rotate")
    @Operation(summary = "Rotate a refresh token")
    @Requires(Rule.MEMBER)
    public Mono<ResponseEntity<IssuedToken>> rotate(Caller caller, @Valid @RequestBody Rotate request,
            @RequestHeader(name = Idempotency.HEADER, required = false)
            @Size(min = 1, max = Idempotency.MAX_KEY_LENGTH) @Pattern(regexp = Idempotency.KEY_PATTERN) String idempotencyKey) {
        return tokens.rotate(caller, request.token(), idempotencyKey)
                .map(rotation -> Idempotency.ok(rotation.issued(), rotation.replayed()));
    }

    @DeleteMapping("/api/v1/refresh-tokens/{id}")
    @Operation(summary = "Revoke a refresh token")
    @Requires(value = Rule.OWNER_OR_ADMIN, owner = RefreshTokenOwners.class)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> revoke(Caller caller, @PathVariable String id) {
        return tokens.revoke(caller, id);
    }

    @DeleteMapping("/api/v1/refresh-tokens/families/{familyId}")
    @Operation(summary = "Revoke a token family")
    @Requires(Rule.ADMIN)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> revokeFamily(Caller caller, @PathVariable String familyId) {
        return tokens.revokeFamily(caller, familyId);
    }
}
