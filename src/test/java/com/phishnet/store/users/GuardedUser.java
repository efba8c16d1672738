package com.phishnet.store.users;

import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.phishnet.store.credentials.CredentialHolders;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.support.MarkingOperator;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.tokens.TokenHolders;

import reactor.core.publisher.Mono;

/**
 * The real {@link UserGuard} over a users repository that holds one user with a given status, for the unit tests
 * of the features that ask it before they grant that user something (credentials, refresh tokens).
 */
public final class GuardedUser {

    private final UserGuard guard;
    private final List<Integer> activeChecks;

    private GuardedUser(UserGuard guard, List<Integer> activeChecks) {
        this.guard = guard;
        this.activeChecks = activeChecks;
    }

    /** The user {@code userId} of {@code tenantId}, in {@code status}; the tenant has no other user. */
    public static GuardedUser of(String tenantId, String userId, UserStatus status, Transactions transactions) {
        Instant created = Instant.parse("2026-11-23T09:00:00Z");
        User user = new User(userId, tenantId, "ann@example.com", "ann@example.com", "Ann", Role.USER, status,
                User.UserStats.empty(), created, created);
        UserRepository repository = mock(UserRepository.class);
        // As the stored query does: only an ACTIVE user of the tenant matches {tenantId, _id, status: ACTIVE}.
        List<Integer> activeChecks = new CopyOnWriteArrayList<>();
        given(repository.touchActive(anyString(), anyString())).willAnswer(call -> MarkingOperator.recordingUnit(
                activeChecks, Mono.just(isTheUser(user, call.getArgument(0), call.getArgument(1))
                        && status == UserStatus.ACTIVE)));
        given(repository.find(anyString(), anyString())).willAnswer(call -> Mono.justOrEmpty(
                isTheUser(user, call.getArgument(0), call.getArgument(1)) ? user : null));
        return new GuardedUser(new UserGuard(repository, transactions), activeChecks);
    }

    /** The transaction units (see {@link MarkingOperator}) in which the user was found ACTIVE, in order. */
    public List<Integer> activeChecks() {
        return activeChecks;
    }

    public CredentialHolders asCredentialHolders() {
        return guard;
    }

    public TokenHolders asTokenHolders() {
        return guard;
    }

    private static boolean isTheUser(User user, String tenantId, String id) {
        return user.tenantId().equals(tenantId) && user.id().equals(id);
    }
}
