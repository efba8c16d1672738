package com.phishnet.store.users;

import com.phishnet.store.platform.web.SuccessStatus;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.Requires;
import com.phishnet.store.platform.web.Idempotency;
import com.phishnet.store.platform.web.PageRequest;
import com.phishnet.store.platform.web.PageResponse;
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
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/** Users of the caller's tenant. */
@RestController
@RequestMapping("/api/v1/users")
public class UserController {

    private final UserService users;

    public UserController(UserService users) {
        this.users = users;
    }

    @PostMapping
    @Operation(summary = "Create a user")
    @SuccessStatus(value = HttpStatus.CREATED, location = true, alsoOk = Idempotency.REPLAY)
    @Requires(Rule.ADMIN)
    public Mono<ResponseEntity<CreatedUser>> create(Caller caller, @Valid @RequestBody CreateUser request,
            @RequestHeader(name = Idempotency.HEADER, required = false)
            @Size(min = 1, max = Idempotency.MAX_KEY_LENGTH) @Pattern(regexp = Idempotency.KEY_PATTERN) String idempotencyKey) {
        return users.create(caller, request, idempotencyKey)
                .map(creation -> Idempotency.created(creation.created(), creation.replayed(),
                        UriComponentsBuilder.fromPath("/api/v1/users/{id}").build(creation.created().user().id())));
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get a user")
    @Requires(Rule.SELF_OR_ANALYST_OR_ADMIN)
    public Mono<UserView> get(Caller caller, @PathVariable String id) {
        return users.get(caller, id);
    }

    @GetMapping
    @Operation(summary = "List users")
    @Requires(Rule.ANALYST_OR_ADMIN)
    public Mono<PageResponse<UserView>> list(Caller caller, ServerWebExchange exchange,
            @RequestParam(required = false) Role role, @RequestParam(required = false) UserStatus status,
            @RequestParam(defaultValue = "1") @Min(1) int page,
            @RequestParam(defaultValue = "" + PageRequest.DEFAULT_SIZE) @Min(1) @Max(PageRequest.MAX_SIZE) int size) {
        return users.list(caller, role, status, new PageRequest(page, size), exchange.getRequest().getURI());
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Update a user")
    @Requires(Rule.ADMIN)
    public Mono<UserView> update(Caller caller, @PathVariable String id, @Valid @RequestBody UpdateUser request) {
        return users.update(caller, id, request);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Deactivate a user")
    @Requires(Rule.ADMIN)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> deactivate(Caller caller, @PathVariable String id) {
        return users.deactivate(caller, id);
    }
}
