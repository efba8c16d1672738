package com.phishnet.store.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.phishnet.store.audit.AuditService;
import com.phishnet.store.credentials.CredentialProvider;
import com.phishnet.store.credentials.CredentialRequests.CredentialInput;
import com.phishnet.store.credentials.CredentialService;
import com.phishnet.store.platform.crypto.BlindIndex;
import com.phishnet.store.platform.crypto.KeyRing;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.support.UnknownCommitOperator;
import com.phishnet.store.tokens.RefreshTokenService;
import com.phishnet.store.users.UserRequests.CreateUser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DuplicateKeyException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * User creation when the commit outcome is unknown, and when a client retries with its Idempotency-Key, over
 * mocked collaborators: the stubs say whether the first commit applied, the operator reports it as unknown.
 */
class UserCreationRetryTest {

    private final UserRepository repository = mock(UserRepository.class);
    private final CredentialService credentials = mock(CredentialService.class);
    private final AuditService audit = mock(AuditService.class);
    private final UnknownCommitOperator operator = UnknownCommitOperator.passThrough();
    private final BlindIndex fingerprints = new BlindIndex(new KeyRing(Map.of("k1", new byte[32]), "k1", blindKey()));
    private final Transactions transactions = new Transactions(operator);
    private final UserService users = new UserService(repository, new UserGuard(repository, transactions), credentials,
            mock(RefreshTokenService.class), audit, transactions,
            Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC), () -> "u-new", fingerprints);

    private final Caller admin = new Caller("admin-1", "acme", java.util.Set.of(Role.ADMIN), java.util.Set.of(), "10.0.0.1",
            "test", "req-1");
    private final CreateUser request = new CreateUser("ann@example.com", "Ann", Role.ANALYST, List.of());
    private final AtomicReference<User> stored = new AtomicReference<>();

    @BeforeEach
    void stubs() {
        given(repository.insert(any())).willAnswer(call -> {
            stored.set(call.getArgument(0));
            return Mono.just(stored.get());
        });
        given(audit.record(any())).willReturn(Mono.empty());
        given(credentials.storeWithin(any(), anyString(), any())).willReturn(Flux.empty());
        given(credentials.list(any(), anyString())).willReturn(Flux.empty());
    }

    @Test
    void anUnknownCommitThatAppliedAnswersWithTheCommittedUserAndAuditsOnce() {
        // The first run finds nothing and writes; the re-run finds the user the applied commit left.
        given(repository.find("acme", "u-new")).willReturn(Mono.empty(), Mono.defer(() -> Mono.justOrEmpty(stored.get())));
        operator.failNextCommits(1);

        StepVerifier.create(users.create(admin, request, null))
                .assertNext(creation -> {
                    assertThat(creation.created().user().id()).isEqualTo("u-new");
                    assertThat(creation.replayed()).isFalse();
                })
                .verifyComplete();
        assertThat(operator.injected()).isEqualTo(1);
        verify(repository, times(1)).insert(any());
        verify(audit, times(1)).record(any());
    }

    @Test
    void anUnknownCommitThatDidNotApplyWritesTheUserAgain() {
        given(repository.find("acme", "u-new")).willReturn(Mono.empty());
        operator.failNextCommits(1);

        StepVerifier.create(users.create(admin, request, null))
                .assertNext(creation -> assertThat(creation.created().user().id()).isEqualTo("u-new"))
                .verifyComplete();
        verify(repository, times(2)).insert(any());
    }

    @Test
    void theSameKeyAndPayloadReplaysTheCommittedUserWithoutWritingOrAuditing() {
        User earlier = committedWithKey("create-ann", users.requestHash(request));
        given(repository.findByIdempotencyKey("acme", "create-ann")).willReturn(Mono.just(earlier));

        StepVerifier.create(users.create(admin, request, "create-ann"))
                .assertNext(creation -> {
                    assertThat(creation.created().user().id()).isEqualTo("u-first");
                    assertThat(creation.replayed()).isTrue();
                })
                .verifyComplete();
        verify(repository, never()).insert(any());
        verify(audit, never()).record(any());
    }

    @Test
    void theSameKeyWithAnotherPayloadIs409() {
        User earlier = committedWithKey("create-ann", users.requestHash(request));
        given(repository.findByIdempotencyKey("acme", "create-ann")).willReturn(Mono.just(earlier));

        StepVerifier.create(users.create(admin, new CreateUser("bob@example.com", "Bob", Role.ANALYST, List.of()),
                        "create-ann"))
                .expectErrorSatisfies(failure -> assertThat(failure).isInstanceOf(ApiException.Conflict.class)
                        .hasMessageContaining("Idempotency-Key"))
                .verify();
        verify(repository, never()).insert(any());
    }

    @Test
    void aKeyedCreateStoresTheKeyAndAFingerprintThatCoversTheCredentialSecrets() {
        given(repository.findByIdempotencyKey("acme", "create-ann")).willReturn(Mono.empty());
        CreateUser withToken = new CreateUser("ann@example.com", "Ann", Role.ANALYST, List.of(new CredentialInput(
                CredentialProvider.GOOGLE, null, "ya29.one", null, List.of(), null)));
        CreateUser otherToken = new CreateUser("ann@example.com", "Ann", Role.ANALYST, List.of(new CredentialInput(
                CredentialProvider.GOOGLE, null, "ya29.two", null, List.of(), null)));

        StepVerifier.create(users.create(admin, withToken, "create-ann")).expectNextCount(1).verifyComplete();

        assertThat(stored.get().idempotencyKey()).isEqualTo("create-ann");
        assertThat(stored.get().requestHash()).hasSize(43).isEqualTo(users.requestHash(withToken))
                .isNotEqualTo(users.requestHash(otherToken)).doesNotContain("ya29");
    }

    @Test
    void aConcurrentRequestWithTheSameKeyThatCommittedFirstIsReplayedAfterTheDuplicate() {
        User earlier = committedWithKey("create-ann", users.requestHash(request));
        given(repository.findByIdempotencyKey("acme", "create-ann")).willReturn(Mono.empty(), Mono.just(earlier));
        org.mockito.Mockito.doReturn(Mono.error(new DuplicateKeyException("users_tenant_idempotency_unique"))).when(repository).insert(any());

        StepVerifier.create(users.create(admin, request, "create-ann"))
                .assertNext(creation -> assertThat(creation.replayed()).isTrue())
                .verifyComplete();
    }

    @Test
    void anotherUserWithTheEmailIsStill409() {
        given(repository.find("acme", "u-new")).willReturn(Mono.empty());
        org.mockito.Mockito.doReturn(Mono.error(new DuplicateKeyException("users_tenant_email_unique"))).when(repository).insert(any());

        StepVerifier.create(users.create(admin, request, null))
                .expectErrorSatisfies(failure -> assertThat(failure).isInstanceOf(ApiException.Conflict.class)
                        .hasMessageContaining("already exists"))
                .verify();
        verify(audit, never()).record(any());
    }

    private User committedWithKey(String key, String requestHash) {
        Instant at = Instant.parse("2026-11-23T09:00:00Z");
        return new User("u-first", "acme", "ann@example.com", "ann@example.com", "Ann", Role.ANALYST, UserStatus.ACTIVE,
                User.UserStats.empty(), at, at, key, requestHash);
    }

    private static byte[] blindKey() {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) 7);
        return key;
    }
}
