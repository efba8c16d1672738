package com.phishnet.store.users;

import java.util.function.Supplier;

import com.phishnet.store.credentials.CredentialHolders;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.tokens.TokenHolders;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * What work on a user's credentials and refresh tokens depends on: the user exists in the caller's tenant, or
 * stays active for the whole transaction that grants them something.
 */
@Component
class UserGuard implements CredentialHolders, TokenHolders {

    private final UserRepository repository;
    private final Transactions transactions;

    UserGuard(UserRepository repository, Transactions transactions) {
        this.repository = repository;
        this.transactions = transactions;
    }

    /** The user, or 404. */
    Mono<User> existing(Caller caller, String id) {
        return repository.find(caller.tenantId(), id)
                .switchIfEmpty(Mono.error(() -> new ApiException.NotFound("No user " + id + ".")));
    }

    @Override
    public Mono<Void> requireExisting(Caller caller, String userId) {
        return existing(caller, userId).then();
    }

    /**
     * The write to the user makes a concurrent deactivation conflict with this unit, so nothing is ever granted
     * to a user who was deactivated meanwhile.
     */
    @Override
    public <T> Mono<T> forActiveUser(Caller caller, String userId, Supplier<Mono<T>> work) {
        return transactions.run(caller.tenantId(), () -> repository.touchActive(caller.tenantId(), userId)
                .flatMap(touched -> touched ? Mono.<Void>empty() : existing(caller, userId)
                        .flatMap(user -> Mono.<Void>error(new ApiException.Conflict("User " + userId + " is " + user.status() + "."))))
                .then(Mono.defer(work)));
    }
}
