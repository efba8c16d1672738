package com.phishnet.store.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import java.time.Instant;
import java.util.Set;

import com.mongodb.client.result.UpdateResult;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.support.RenderedBson;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.data.mongodb.core.query.UpdateDefinition;

/**
 * The BSON of the queries that decide whose refresh token a revoke reaches, captured where the repository hands
 * them to the template.
 */
class RefreshTokenQueriesTest {

    private final ReactiveMongoTemplate mongo = mock(ReactiveMongoTemplate.class);
    private final RefreshTokenRepository repository = new RefreshTokenRepository(mongo);
    private final ArgumentCaptor<Query> query = ArgumentCaptor.forClass(Query.class);
    private final ArgumentCaptor<UpdateDefinition> update = ArgumentCaptor.forClass(UpdateDefinition.class);

    @Test
    void theOwnerOfATokenIsLookedUpByIdWithinTheCallersTenant() {
        Instant issued = Instant.parse("2026-11-23T10:00:00Z");
        given(mongo.findOne(any(Query.class), eq(RefreshToken.class))).willReturn(Mono.just(new RefreshToken("t-1", "acme",
                "u-1", "f-1", "hash", RefreshTokenStatus.ACTIVE, issued, issued.plusSeconds(60), null, null)));
        Caller caller = new Caller("u-2", "acme", Set.of(Role.USER), Set.of(), "10.0.0.1", "test", "req-1");

        StepVerifier.create(new RefreshTokenOwners(repository).ownerOf(caller, "t-1")).expectNext("u-1").verifyComplete();
        verify(mongo).findOne(query.capture(), eq(RefreshToken.class));
        assertThat(RenderedBson.filter(query.getValue(), RefreshToken.class))
                .isEqualTo("{\"tenantId\": \"acme\", \"_id\": \"t-1\"}");
    }

    @Test
    void aHoldersRevokeMatchesOnlyTheirOwnActiveTokenInTheTenant() {
        given(mongo.updateMulti(any(Query.class), any(UpdateDefinition.class), eq(RefreshToken.class)))
                .willReturn(Mono.just(UpdateResult.acknowledged(1, 1L, null)));

        StepVerifier.create(repository.revokeHeldBy("acme", "t-1", "u-1")).expectNext(1L).verifyComplete();
        verify(mongo).updateMulti(query.capture(), update.capture(), eq(RefreshToken.class));
        assertThat(RenderedBson.filter(query.getValue(), RefreshToken.class))
                .isEqualTo("{\"tenantId\": \"acme\", \"_id\": \"t-1\", \"userId\": \"u-1\", \"status\": \"ACTIVE\"}");
        assertThat(RenderedBson.update((Update) update.getValue(), RefreshToken.class))
                .isEqualTo("{\"$set\": {\"status\": \"REVOKED\"}}");
    }

    @Test
    void anAdminsRevokeMatchesTheTenantsActiveTokenWhoeverHoldsIt() {
        given(mongo.updateMulti(any(Query.class), any(UpdateDefinition.class), eq(RefreshToken.class)))
                .willReturn(Mono.just(UpdateResult.acknowledged(1, 1L, null)));

        StepVerifier.create(repository.revoke("acme", "t-1")).expectNext(1L).verifyComplete();
        verify(mongo).updateMulti(query.capture(), update.capture(), eq(RefreshToken.class));
        assertThat(RenderedBson.filter(query.getValue(), RefreshToken.class))
                .isEqualTo("{\"tenantId\": \"acme\", \"_id\": \"t-1\", \"status\": \"ACTIVE\"}");
    }
}
