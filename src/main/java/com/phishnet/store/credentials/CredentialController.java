package com.phishnet.store.credentials;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;

import com.phishnet.store.credentials.CredentialRequests.CredentialInput;
import com.phishnet.store.credentials.CredentialRequests.CredentialSecret;
import com.phishnet.store.credentials.CredentialRequests.CredentialView;
import com.phishnet.store.credentials.CredentialRequests.RotateTokens;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.Role;

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
    public Mono<List<CredentialView>> list(Caller caller, @PathVariable String id) {
        caller.requireSelfOrAnyRole(id, Role.ADMIN, Role.ANALYST);
        return credentials.listForUser(caller, id).collectList();
    }

    @PostMapping("/api/v1/users/{id}/credentials")
    public Mono<ResponseEntity<CredentialView>> store(Caller caller, @PathVariable String id,
            @Valid @RequestBody CredentialInput input) {
        caller.requireSelfOrAnyRole(id, Role.ADMIN);
        return credentials.store(caller, id, input)
                .map(stored -> ResponseEntity.created(
                        UriComponentsBuilder.fromPath("/api/v1/users/{id}/credentials/{credentialId}").build(id, stored.id()))
                        .body(stored));
    }

    @PutMapping("/api/v1/users/{id}/credentials/{credentialId}/tokens")
    public Mono<CredentialView> rotate(Caller caller, @PathVariable String id, @PathVariable String credentialId,
            @Valid @RequestBody RotateTokens tokens) {
        caller.requireSelfOrAnyRole(id, Role.ADMIN);
        return credentials.rotate(caller, id, credentialId, tokens);
    }

    @DeleteMapping("/api/v1/users/{id}/credentials/{credentialId}")
    public Mono<CredentialView> revoke(Caller caller, @PathVariable String id, @PathVariable String credentialId) {
        caller.requireSelfOrAnyRole(id, Role.ADMIN);
        return credentials.revoke(caller, id, credentialId);
    }

    /** Plaintext tokens: only with the credentials:read-secret scope, and audited. */
    @GetMapping("/api/v1/users/{id}/credentials/{credentialId}/secret")
    public Mono<CredentialSecret> readSecret(Caller caller, @PathVariable String id, @PathVariable String credentialId) {
        return credentials.readSecret(caller, id, credentialId);
    }

    @GetMapping("/api/v1/credentials")
    public Mono<List<CredentialView>> byAccount(Caller caller, @RequestParam @NotBlank @Email String account) {
        caller.requireAnyRole(Role.ADMIN, Role.ANALYST);
        return credentials.findByAccount(caller, account).collectList();
    }
}
