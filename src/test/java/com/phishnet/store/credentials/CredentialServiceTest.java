package com.phishnet.store.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.mock;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import com.phishnet.store.audit.AuditEventType;
import com.phishnet.store.audit.AuditService;
import com.phishnet.store.credentials.CredentialRequests.CredentialInput;
import com.phishnet.store.platform.crypto.BlindIndex;
import com.phishnet.store.platform.crypto.FieldCipher;
import com.phishnet.store.platform.crypto.KeyRing;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.support.MarkingOperator;
import com.phishnet.store.users.GuardedUser;
import com.phishnet.store.users.UserStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Storing one credential on its own route: only for a user who is active in the transaction that stores it, as
 * the users feature's own guard decides ({@link GuardedUser}). A refused store writes and audits nothing.
 */
class CredentialServiceTest {

    private final CredentialRepository repository = mock(CredentialRepository.class);
    private final AuditService audit = mock(AuditService.class);
    private final Transactions transactions = new Transactions(new MarkingOperator());
    private final Caller admin = new Caller("admin-1", "acme", Set.of(Role.ADMIN), Set.of(), "10.0.0.1", "test", "req-1");
    private final CredentialInput google = new CredentialInput(CredentialProvider.GOOGLE, null, "ya29.x", null, List.of(),
            null);

    @ParameterizedTest
    @EnumSource(value = UserStatus.class, names = {"DEACTIVATED", "SUSPENDED"})
    void aUserWhoIsNotActiveGetsNoCredentialAndNoAuditEntry(UserStatus status) {
        writesSucceed();

        StepVerifier.create(serviceFor(status).store(admin, "u-1", google))
                .expectErrorSatisfies(failure -> {
                    assertThat(failure).isInstanceOf(ApiException.Conflict.class).hasMessage("User u-1 is " + status + ".");
                    assertThat(((ApiException) failure).status().value()).isEqualTo(409);
                })
                .verify();
        verifyNoInteractions(repository, audit);
    }

    @Test
    void anActiveUsersCredentialIsStoredAndAuditedInTheTransactionThatFoundThemActive() {
        writesSucceed();

        StepVerifier.create(serviceFor(UserStatus.ACTIVE).store(admin, "u-1", google))
                .assertNext(view -> assertThat(view.userId()).isEqualTo("u-1"))
                .verifyComplete();
        verify(repository).insert(argThat(credential -> credential.tenantId().equals("acme")
                && credential.userId().equals("u-1")));
        verify(audit).record(argThat(event -> event.type() == AuditEventType.CREDENTIAL_STORED));
        assertThat(insertUnits).as("the credential is written in the unit that found the user ACTIVE")
                .hasSize(1).isEqualTo(guarded.activeChecks());
    }

    private GuardedUser guarded;
    private final List<Integer> insertUnits = new CopyOnWriteArrayList<>();

    private GuardedUser guard(UserStatus status) {
        guarded = GuardedUser.of("acme", "u-1", status, transactions);
        return guarded;
    }

    /** The insert and the audit entry succeed when they run inside a transaction. */
    private void writesSucceed() {
        given(repository.insert(any())).willAnswer(call -> MarkingOperator.recordingUnit(insertUnits,
                Mono.just(call.getArgument(0))));
        given(audit.record(any())).willReturn(MarkingOperator.insideOnly(Mono.empty()));
    }

    private CredentialService serviceFor(UserStatus status) {
        KeyRing keys = new KeyRing(Map.of("k1", filled(1)), "k1", filled(2));
        return new CredentialService(repository, guard(status).asCredentialHolders(),
                new FieldCipher(keys, new SecureRandom()), new BlindIndex(keys), audit, transactions,
                Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC), () -> "c-1");
    }

    private static byte[] filled(int value) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) value);
        return key;
    }
}
