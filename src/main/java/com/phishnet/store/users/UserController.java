package com.phishnet.store.users;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.phishnet.store.credentials.CredentialRequests.CredentialInput;
import com.phishnet.store.credentials.CredentialRequests.CredentialSecret;
import com.phishnet.store.credentials.CredentialRequests.CredentialView;
import com.phishnet.store.credentials.CredentialRequests.RotateTokens;
import com.phishnet.store.credentials.CredentialService;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.Role;
import com.phishnet.store.platform.web.Idempotency;
import com.phishnet.store.platform.web.PageRequest;
import com.phishnet.store.platform.web.PageResponse;
import com.phishnet.store.tokens.RefreshTokenRequests.IssuedToken;
import com.phishnet.store.tokens.RefreshTokenService;
import com.phishnet.store.users.UserRequests.CreateUser;
import com.phishnet.store.users.UserRequests.CreatedUser;
import com.phishnet.store.users.UserRequests.UpdateUser;
import com.phishnet.store.users.UserRequests.UserView;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/** Users of the caller's tenant, and what hangs off a user: mail credentials and refresh tokens. */
@RestController
@RequestMapping("/api/v1/users")
public class UserController {

    private final UserService users;
    private final CredentialService credentials;
    private final RefreshTokenService refreshTokens;

    public UserController(UserService users, CredentialService credentials, RefreshTokenService refreshTokens) {
        this.users = users;
        this.credentials = credentials;
        this.refreshTokens = refreshTokens;
    }

    @PostMapping
    public Mono<ResponseEntity<CreatedUser>> create(Caller caller, @Valid @RequestBody CreateUser request,
            @RequestHeader(name = Idempotency.HEADER, required = false)
            @Size(min = 1, max = Idempotency.MAX_KEY_LENGTH) @Pattern(regexp = Idempotency.KEY_PATTERN) String idempotencyKey) {
        return users.create(caller, request, idempotencyKey)
                .map(creation -> creation.replayed()
                        ? ResponseEntity.ok().header(Idempotency.REPLAYED_HEADER, "true").body(creation.created())
                        : ResponseEntity.created(
                                UriComponentsBuilder.fromPath("/api/v1/users/{id}").build(creation.created().user().id()))
                                .body(creation.created()));
    }

    @GetMapping("/{id}")
    public Mono<UserView> get(Caller caller, @PathVariable String id) {
        return users.get(caller, id);
    }

    @GetMapping
    public Mono<PageResponse<UserView>> list(Caller caller, ServerWebExchange exchange,
            @RequestParam(required = false) Role role, @RequestParam(required = false) UserStatus status,
            @RequestParam(defaultValue = "1") @Min(1) int page,
            @RequestParam(defaultValue = "" + PageRequest.DEFAULT_SIZE) @Min(1) @Max(PageRequest.MAX_SIZE) int size) {
        return users.list(caller, role, status, new PageRequest(page, size), exchange.getRequest().getURI());
    }

    @PatchMapping("/{id}")
    public Mono<UserView> update(Caller caller, @PathVariable String id, @Valid @RequestBody UpdateUser request) {
        return users.update(caller, id, request);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> deactivate(Caller caller, @PathVariable String id) {
        return users.deactivate(caller, id);
    }

    @GetMapping("/{id}/credentials")
    public Mono<List<CredentialView>> credentials(Caller caller, @PathVariable String id) {
        caller.requireSelfOrAnyRole(id, Role.ADMIN, Role.ANALYST);
        return users.existing(caller, id)
                .thenMany(credentials.list(caller, id))
                .collectList();
    }

    @PostMapping("/{id}/credentials")
    public Mono<ResponseEntity<CredentialView>> storeCredential(Caller caller, @PathVariable String id,
            @Valid @RequestBody CredentialInput input) {
        caller.requireSelfOrAnyRole(id, Role.ADMIN);
        return users.forActiveUser(caller, id, () -> credentials.storeWithin(caller, id, java.util.List.of(input)).next())
                .map(stored -> ResponseEntity.created(
                        UriComponentsBuilder.fromPath("/api/v1/users/{id}/credentials/{credentialId}").build(id, stored.id()))
                        .body(stored));
    }

    @PutMapping("/{id}/credentials/{credentialId}/tokens")
    public Mono<CredentialView> rotateCredential(Caller caller, @PathVariable String id,
            @PathVariable String credentialId, @Valid @RequestBody RotateTokens tokens) {
        caller.requireSelfOrAnyRole(id, Role.ADMIN);
        return credentials.rotate(caller, id, credentialId, tokens);
    }

    @DeleteMapping("/{id}/credentials/{credentialId}")
    public Mono<CredentialView> revokeCredential(Caller caller, @PathVariable String id,
            @PathVariable String credentialId) {
        caller.requireSelfOrAnyRole(id, Role.ADMIN);
        return credentials.revoke(caller, id, credentialId);
    }

    /** Plaintext tokens: only with the credentials:read-secret scope, and audited. */
    @GetMapping("/{id}/credentials/{credentialId}/secret")
    public Mono<CredentialSecret> readSecret(Caller caller, @PathVariable String id, @PathVariable String credentialId) {
        return credentials.readSecret(caller, id, credentialId);
    }

    @PostMapping("/{id}/refresh-tokens")
    public Mono<ResponseEntity<IssuedToken>> issueRefreshToken(Caller caller, @PathVariable String id) {
        caller.requireSelfOrAnyRole(id, Role.ADMIN);
        return users.forActiveUser(caller, id, () -> refreshTokens.issueWithin(caller, id))
                .map(issued -> ResponseEntity.status(HttpStatus.CREATED).body(issued));
    }
}
