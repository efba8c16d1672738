package com.phishnet.store.credentials;

import java.util.List;

import com.phishnet.store.platform.web.SuccessStatus;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;

import com.phishnet.store.credentials.CredentialRequests.CredentialInput;
import com.phishnet.store.credentials.CredentialRequests.CredentialSecret;
import com.phishnet.store.credentials.CredentialRequests.CredentialView;
import com.phishnet.store.credentials.CredentialRequests.RotateTokens;
import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.Requires;

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
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/** A user's mail credentials, and lookup of credentials by account address (blind index). */
@RestController
public class CredentialController {

    private final CredentialService credentials;

    public CredentialController(CredentialService credentials) {
        this.credentials = credentials;
    }

    @GetMapping("/api/v1/users/{id}/credentials")
    @Operation(summary = "List a user's credentials")
    @Requires(Rule.SELF_OR_ANALYST_OR_ADMIN)
    public Mono<List<CredentialView>> list(Caller caller, @PathVariable String id) {
        return credentials.listForUser(caller, id).collectList();
    }

    @PostMapping("/api/v1/users/{id}/credentials")
    @Operation(summary = "Store a credential")
    @SuccessStatus(value = HttpStatus.CREATED, location = true)
    @Requires(Rule.SELF_OR_ADMIN)
    public Mono<ResponseEntity<CredentialView>> store(Caller caller, @PathVariable String id,
            @Valid @RequestBody CredentialInput input) {
        return credentials.store(caller, id, input)
                .map(stored -> ResponseEntity.created(
                        UriComponentsBuilder.fromPath("/api/v1/users/{id}/credentials/{credentialId}").build(id, stored.id()))
                        .body(stored));
    }

    @PutMapping("/api/v1/users/{id}/credentials/{credentialId}/tokens")
    @Operation(summary = "Replace a credential's tokens")
    @Requires(Rule.SELF_OR_ADMIN)
    public Mono<CredentialView> rotate(Caller caller, @PathVariable String id, @PathVariable String credentialId,
            @Valid @RequestBody RotateTokens tokens) {
        return credentials.rotate(caller, id, credentialId, tokens);
    }

    @DeleteMapping("/api/v1/users/{id}/credentials/{credentialId}")
    @Operation(summary = "Revoke a credential")
    @Requires(Rule.SELF_OR_ADMIN)
    public Mono<CredentialView> revoke(Caller caller, @PathVariable String id, @PathVariable String credentialId) {
        return credentials.revoke(caller, id, credentialId);
    }

    /** Plaintext tokens: only with the credentials:read-secret scope, and audited. */
    @GetMapping("/api/v1/users/{id}/credentials/{credentialId}/secret")
    @Operation(summary = "Read a credential's plaintext tokens")
    @Requires(Rule.SECRET_READER)
    public Mono<CredentialSecret> readSecret(Caller caller, @PathVariable String id, @PathVariable String credentialId) {
        return credentials.readSecret(caller, id, credentialId);
    }

    @GetMapping("/api/v1/credentials")
    @Operation(summary = "Find credentials by account address")
    @Requires(Rule.ANALYST_OR_ADMIN)
    public Mono<List<CredentialView>> byAccount(Caller caller, @RequestParam @NotBlank @Email String account) {
        return credentials.findByAccount(caller, account).collectList();
    }
}
