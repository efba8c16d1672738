package com.phishnet.store.tokens;

import jakarta.validation.Valid;

import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.tokens.RefreshTokenRequests.IssuedToken;
import com.phishnet.store.tokens.RefreshTokenRequests.Rotate;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
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
    public Mono<IssuedToken> rotate(Caller caller, @Valid @RequestBody Rotate request) {
        return tokens.rotate(caller, request.token());
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
