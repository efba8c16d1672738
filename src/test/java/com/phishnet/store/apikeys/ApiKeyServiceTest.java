package com.phishnet.store.apikeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.phishnet.store.apikeys.ApiKeyRequests.ApiKeyProperties;
import com.phishnet.store.apikeys.ApiKeyRequests.CreateKey;
import com.phishnet.store.apikeys.ApiKeyRequests.IssuedKey;
import com.phishnet.store.apikeys.ApiKeyRequests.RotateKey;
import com.phishnet.store.audit.AuditEvent;
import com.phishnet.store.audit.AuditEventType;
import com.phishnet.store.audit.AuditService;
import com.phishnet.store.platform.crypto.BlindIndex;
import com.phishnet.store.platform.crypto.KeyRing;
import com.phishnet.store.platform.crypto.KeyedHash;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.platform.web.CursorCodec;
import com.phishnet.store.support.MarkingOperator;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.security.access.AccessDeniedException;

/** The service's rules with the repository and audit mocked: what is written, audited, and in which transaction. */
class ApiKeyServiceTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    private final ApiKeyRepository repository = mock(ApiKeyRepository.class);
    private final AuditService audit = mock(AuditService.class);
    private final KeyRing ring = new KeyRing(Map.of("k1", filled(1)), "k1", filled(2));
    private final KeyedHash hashes = new KeyedHash(ring, ApiKeyConfig.HASH_PURPOSE);
    private final AtomicInteger ids = new AtomicInteger();
    private final ApiKeyService service = new ApiKeyService(repository, audit, new Transactions(new MarkingOperator()),
            hashes, new CursorCodec(new BlindIndex(ring)),
            new ApiKeyProperties(Duration.ofSeconds(60), Duration.ofDays(730), Duration.ofHours(24)),
            new SecureRandom(), Clock.fixed(NOW, ZoneOffset.UTC), () -> "k-new-" + ids.incrementAndGet());
    private final List<Integer> units = new ArrayList<>();

    @Test
    void aNewKeyIsStoredOnlyAsItsPrefixAndKeyedHashAndAuditedInTheSameTransaction() {
        writesSucceed();

        IssuedKey issued = service.create(admin(), new CreateKey(" scanner eu-1 ", List.of(ApiKeyScope.SCANS_WRITE,
                ApiKeyScope.SCANS_WRITE), NOW.plus(Duration.ofDays(30)))).block();

        ArgumentCaptor<ApiKey> stored = ArgumentCaptor.forClass(ApiKey.class);
        verify(repository).insert(stored.capture());
        ApiKey key = stored.getValue();
        assertThat(ApiKeyFormat.parse(issued.key())).isNotNull();
        assertThat(key.hash()).isEqualTo(hashes.of(issued.key()));
        assertThat(key.toString()).doesNotContain(key.hash());
        assertThat(key.prefix()).isEqualTo(issued.prefix()).isEqualTo(ApiKeyFormat.parse(issued.key()).prefix());
        assertThat(key.tenantId()).isEqualTo("acme");
        assertThat(key.name()).isEqualTo("scanner eu-1");
        assertThat(key.scopes()).containsExactly("scans:write");
        assertThat(key.createdBy()).isEqualTo("admin-1");
        assertThat(key.expiresAt()).isEqualTo(NOW.plus(Duration.ofDays(30)));
        AuditEvent event = audited();
        assertThat(event.type()).isEqualTo(AuditEventType.API_KEY_CREATED);
        assertThat(event.targetId()).isEqualTo(key.id());
        assertThat(event.details().values()).noneMatch(value -> value.contains(issued.key()) || value.contains(key.hash()));
        assertThat(units).hasSize(2).containsOnly(units.get(0));
    }

    @Test
    void aScopeTheCreatorDoesNotHoldIsRefusedAndNothingIsWritten() {
        StepVerifier.create(service.create(admin(), new CreateKey("feed", List.of(ApiKeyScope.REPUTATION_WRITE), null)))
                .expectErrorSatisfies(failure -> assertThat(failure).isInstanceOf(AccessDeniedException.class)
                        .hasMessageContaining("reputation:write"))
                .verify();

        verifyNoInteractions(repository, audit);
    }

    @Test
    void aCreatorHoldingTheScopeMayGrantIt() {
        writesSucceed();

        StepVerifier.create(service.create(admin("reputation:write"), new CreateKey("feed",
                List.of(ApiKeyScope.REPUTATION_WRITE, ApiKeyScope.SCANS_WRITE), null)))
                .assertNext(issued -> assertThat(issued.scopes()).containsExactly("scans:write", "reputation:write"))
                .verifyComplete();
    }

    @Test
    void anExpiryInThePastOrBeyondTheMaximumLifetimeIsA400AndNothingIsWritten() {
        for (Instant expiresAt : List.of(NOW, NOW.minusSeconds(1), NOW.plus(Duration.ofDays(731)))) {
            StepVerifier.create(service.create(admin(), new CreateKey("x", List.of(ApiKeyScope.SCANS_WRITE), expiresAt)))
                    .expectErrorSatisfies(failure -> assertThat(failure).isInstanceOf(ApiException.InvalidField.class)
                            .extracting(error -> ((ApiException.InvalidField) error).field()).isEqualTo("expiresAt"))
                    .verify();
        }

        verifyNoInteractions(repository, audit);
    }

    @Test
    void rotationIssuesANewKeyWithTheSameNameAndScopesAndRetiresTheOldOneAfterItsGrace() {
        writesSucceed();
        ApiKey old = stored(null, null, null);
        given(repository.find("acme", "k-1")).willReturn(Mono.just(old));
        given(repository.retire(anyString(), anyString(), anyString(), any()))
                .willAnswer(call -> MarkingOperator.recordingUnit(units, Mono.just(1L)));

        IssuedKey issued = service.rotate(admin(), "k-1", new RotateKey(3600L, null)).block();

        verify(repository).retire("acme", "k-1", issued.id(), NOW.plusSeconds(3600));
        ArgumentCaptor<ApiKey> stored = ArgumentCaptor.forClass(ApiKey.class);
        verify(repository).insert(stored.capture());
        assertThat(stored.getValue().rotatedFrom()).isEqualTo("k-1");
        assertThat(stored.getValue().name()).isEqualTo(old.name());
        assertThat(stored.getValue().scopes()).isEqualTo(old.scopes());
        assertThat(stored.getValue().prefix()).isNotEqualTo(old.prefix());
        assertThat(stored.getValue().hash()).isEqualTo(hashes.of(issued.key()));
        assertThat(issued.rotatedFrom()).isEqualTo("k-1");
        AuditEvent event = audited();
        assertThat(event.type()).isEqualTo(AuditEventType.API_KEY_ROTATED);
        assertThat(event.details()).containsEntry("successor", issued.id())
                .containsEntry("oldKeyExpiresAt", NOW.plusSeconds(3600).toString());
        assertThat(units).hasSize(3).containsOnly(units.get(0));
    }

    @Test
    void rotationWithoutGraceEndsTheOldKeyNow() {
        writesSucceed();
        given(repository.find("acme", "k-1")).willReturn(Mono.just(stored(null, null, null)));
        given(repository.retire(anyString(), anyString(), anyString(), any())).willReturn(Mono.just(1L));

        service.rotate(admin(), "k-1", new RotateKey(null, null)).block();

        verify(repository).retire(eq("acme"), eq("k-1"), anyString(), eq(NOW));
    }

    @Test
    void rotatingARevokedExpiredOrAlreadyRotatedKeyIsA409AndWritesNothing() {
        for (ApiKey key : List.of(stored(null, NOW.minusSeconds(1), null), stored(NOW, null, null),
                stored(NOW.plusSeconds(60), null, "k-2"))) {
            given(repository.find("acme", "k-1")).willReturn(Mono.just(key));
            StepVerifier.create(service.rotate(admin(), "k-1", new RotateKey(0L, null)))
                    .expectError(ApiException.Conflict.class).verify();
        }

        verify(repository, never()).retire(anyString(), anyString(), anyString(), any());
        verify(repository, never()).insert(any());
        verifyNoInteractions(audit);
    }

    @Test
    void aRotationThatLosesARaceToARevocationIsA409AndIssuesNothing() {
        given(repository.find("acme", "k-1")).willReturn(Mono.just(stored(null, null, null)));
        given(repository.retire(anyString(), anyString(), anyString(), any())).willReturn(Mono.just(0L));

        StepVerifier.create(service.rotate(admin(), "k-1", new RotateKey(0L, null)))
                .expectError(ApiException.Conflict.class).verify();

        verify(repository, never()).insert(any());
        verifyNoInteractions(audit);
    }

    @Test
    void aRotatorWhoCouldNotGrantTheKeysScopesIsRefused() {
        given(repository.find("acme", "k-1")).willReturn(Mono.just(new ApiKey("k-1", "acme", "feed", "abcdefgh2345",
                "A".repeat(43), List.of("reputation:write"), "admin-0", NOW.minusSeconds(60), null, null, null, null,
                null, null)));

        StepVerifier.create(service.rotate(admin(), "k-1", new RotateKey(0L, null)))
                .expectError(AccessDeniedException.class).verify();

        verify(repository, never()).retire(anyString(), anyString(), anyString(), any());
    }

    @Test
    void aRotationThatGivesNoExpiryKeepsTheOldKeysEvenBeyondTheCurrentMaximumLifetime() {
        writesSucceed();
        given(repository.retire(anyString(), anyString(), anyString(), any())).willReturn(Mono.just(1L));
        Instant oldExpiry = NOW.plus(Duration.ofDays(30));
        given(repository.find("acme", "k-1")).willReturn(Mono.just(stored(oldExpiry, null, null)));
        // max-lifetime lowered to a day since the old key was created: its expiry is still inherited as it is.
        ApiKeyService shorter = new ApiKeyService(repository, audit, new Transactions(new MarkingOperator()), hashes,
                new CursorCodec(new BlindIndex(ring)),
                new ApiKeyProperties(Duration.ofSeconds(60), Duration.ofDays(1), Duration.ofHours(24)),
                new SecureRandom(), Clock.fixed(NOW, ZoneOffset.UTC), () -> "k-x");

        IssuedKey issued = shorter.rotate(admin(), "k-1", new RotateKey(60L, null)).block();

        ArgumentCaptor<ApiKey> stored = ArgumentCaptor.forClass(ApiKey.class);
        verify(repository).insert(stored.capture());
        assertThat(stored.getValue().expiresAt()).isEqualTo(oldExpiry);
        assertThat(issued.expiresAt()).isEqualTo(oldExpiry);
        verify(repository).retire("acme", "k-1", "k-x", NOW.plusSeconds(60));
    }

    @Test
    void aRotationOfAKeyWithoutExpiryThatGivesNoneGivesNone() {
        writesSucceed();
        given(repository.retire(anyString(), anyString(), anyString(), any())).willReturn(Mono.just(1L));
        given(repository.find("acme", "k-1")).willReturn(Mono.just(stored(null, null, null)));

        assertThat(service.rotate(admin(), "k-1", new RotateKey(0L, null)).block().expiresAt()).isNull();
    }

    @Test
    void aRotationThatGivesAnExpiryUsesItAndChecksItLikeANewKeys() {
        writesSucceed();
        given(repository.retire(anyString(), anyString(), anyString(), any())).willReturn(Mono.just(1L));
        given(repository.find("acme", "k-1")).willReturn(Mono.just(stored(NOW.plus(Duration.ofDays(30)), null, null)));

        for (Instant refused : List.of(NOW, NOW.plus(Duration.ofDays(731)))) {
            StepVerifier.create(service.rotate(admin(), "k-1", new RotateKey(0L, refused)))
                    .expectErrorSatisfies(failure -> assertThat(failure).isInstanceOf(ApiException.InvalidField.class)
                            .extracting(error -> ((ApiException.InvalidField) error).field()).isEqualTo("expiresAt"))
                    .verify();
        }
        verify(repository, never()).insert(any());

        Instant requested = NOW.plus(Duration.ofDays(90));
        assertThat(service.rotate(admin(), "k-1", new RotateKey(0L, requested)).block().expiresAt())
                .isEqualTo(requested);
    }

    @Test
    void aGraceLongerThanTheSettingIsA400() {
        ApiKeyService strict = new ApiKeyService(repository, audit, new Transactions(new MarkingOperator()), hashes,
                new CursorCodec(new BlindIndex(ring)),
                new ApiKeyProperties(Duration.ofSeconds(60), Duration.ofDays(730), Duration.ofHours(1)),
                new SecureRandom(), Clock.fixed(NOW, ZoneOffset.UTC), () -> "k-x");

        StepVerifier.create(strict.rotate(admin(), "k-1", new RotateKey(3601L, null)))
                .expectError(ApiException.InvalidField.class).verify();

        verifyNoInteractions(repository);
    }

    @Test
    void revocationIsWrittenAndAuditedInOneTransactionAndARepeatChangesNothing() {
        given(repository.find("acme", "k-1")).willReturn(Mono.just(stored(null, null, null)));
        given(repository.revoke(anyString(), anyString(), anyString(), any()))
                .willAnswer(call -> MarkingOperator.recordingUnit(units, Mono.just(1L)));
        given(audit.record(any())).willAnswer(call -> MarkingOperator.recordingUnit(units, Mono.empty()));

        StepVerifier.create(service.revoke(admin(), "k-1")).verifyComplete();

        verify(repository).revoke("acme", "k-1", "admin-1", NOW);
        assertThat(audited().type()).isEqualTo(AuditEventType.API_KEY_REVOKED);
        assertThat(units).hasSize(2).containsOnly(units.get(0));

        given(repository.find("acme", "k-2")).willReturn(Mono.just(stored(null, NOW.minusSeconds(5), null)));
        StepVerifier.create(service.revoke(admin(), "k-2")).verifyComplete();
        verify(repository, never()).revoke(anyString(), eq("k-2"), anyString(), any());
    }

    @Test
    void anotherTenantsOrAnUnknownKeyIsNotFound() {
        given(repository.find("acme", "k-9")).willReturn(Mono.empty());

        StepVerifier.create(service.get(admin(), "k-9")).expectError(ApiException.NotFound.class).verify();
        StepVerifier.create(service.revoke(admin(), "k-9")).expectError(ApiException.NotFound.class).verify();
        StepVerifier.create(service.rotate(admin(), "k-9", new RotateKey(0L, null)))
                .expectError(ApiException.NotFound.class).verify();

        verify(repository, never()).revoke(anyString(), anyString(), anyString(), any());
    }

    private void writesSucceed() {
        given(repository.insert(any())).willAnswer(call -> MarkingOperator.recordingUnit(units,
                Mono.just(call.<ApiKey>getArgument(0))));
        given(audit.record(any())).willAnswer(call -> MarkingOperator.recordingUnit(units, Mono.empty()));
    }

    private AuditEvent audited() {
        ArgumentCaptor<AuditEvent> event = ArgumentCaptor.forClass(AuditEvent.class);
        verify(audit).record(event.capture());
        return event.getValue();
    }

    private static ApiKey stored(Instant expiresAt, Instant revokedAt, String rotatedTo) {
        return new ApiKey("k-1", "acme", "scanner", "abcdefgh2345", "A".repeat(43), List.of("scans:write"), "admin-0",
                NOW.minusSeconds(3600), expiresAt, revokedAt, revokedAt == null ? null : "admin-0", null, null, rotatedTo);
    }

    @Test
    void everyOperationRefusesACallerWithoutAdminBeforeTouchingTheStore() {
        // An analyst, and a key's caller (scopes, no role): the route's rule again at the head of the service.
        for (Caller caller : List.of(
                new Caller("analyst-1", "acme", Set.of(Role.ANALYST), Set.of(), "10.0.0.1", "test", "req-1"),
                new Caller("api-key:k-1", "acme", Set.of(), Set.of("scans:write"), "10.0.0.1", "test", "req-1"))) {
            StepVerifier.create(service.create(caller, new CreateKey("x", List.of(ApiKeyScope.SCANS_WRITE), null)))
                    .expectError(AccessDeniedException.class).verify();
            StepVerifier.create(service.list(caller, new com.phishnet.store.platform.web.PageRequest(1, 10),
                    java.net.URI.create("/api/v1/api-keys"))).expectError(AccessDeniedException.class).verify();
            StepVerifier.create(service.listAfter(caller, "", 10)).expectError(AccessDeniedException.class).verify();
            StepVerifier.create(service.get(caller, "k-1")).expectError(AccessDeniedException.class).verify();
            StepVerifier.create(service.rotate(caller, "k-1", new RotateKey(null, null)))
                    .expectError(AccessDeniedException.class).verify();
            StepVerifier.create(service.revoke(caller, "k-1")).expectError(AccessDeniedException.class).verify();
        }
        verifyNoInteractions(repository, audit);
    }

    private static Caller admin(String... scopes) {
        return new Caller("admin-1", "acme", Set.of(Role.ADMIN), Set.of(scopes), "10.0.0.1", "test", "req-1");
    }

    private static byte[] filled(int value) {
        byte[] key = new byte[KeyRing.KEY_BYTES];
        Arrays.fill(key, (byte) value);
        return key;
    }
}
