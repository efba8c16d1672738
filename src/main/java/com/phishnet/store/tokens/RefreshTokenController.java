package com.phishnet.store.tokens;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.phishnet.store.platform.security.Caller;
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
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Exchanging and revoking refresh tokens. Issuing one belongs to its user: POST /api/v1/users/{id}/refresh-tokens. */
@RestController
@RequestMapping("/api/v1/refresh-tokens")
public class RefreshTokenController {

    private final RefreshTokenService tokens;

    public RefreshTokenController(RefreshTokenService tokens) {
        this.tokens = tokens;
    }

    @PostMapping("/rotate")
    public Mono<ResponseEntity<IssuedToken>> rotate(Caller caller, @Valid @RequestBody Rotate request,
            @RequestHeader(name = Idempotency.HEADER, required = false)
            @Size(min = 1, max = Idempotency.MAX_KEY_LENGTH) @Pattern(regexp = Idempotency.KEY_PATTERN) String idempotencyKey) {
        return tokens.rotate(caller, request.token(), idempotencyKey)
                .map(rotation -> rotation.replayed()
                        ? ResponseEntity.ok().header(Idempotency.REPLAYED_HEADER, "true").body(rotation.issued())
                        : ResponseEntity.ok().body(rotation.issued()));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> revoke(Caller caller, @PathVariable String id) {
        return tokens.revoke(caller, id);
    }

    @DeleteMapping("/families/{familyId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> revokeFamily(Caller caller, @PathVariable String familyId) {
        return Mono.defer(() -> tokens.revokeFamily(caller, familyId));
    }
}
