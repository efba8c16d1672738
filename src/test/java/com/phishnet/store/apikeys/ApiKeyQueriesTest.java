package com.phishnet.store.apikeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import java.time.Instant;
import java.util.List;

import com.mongodb.ReadPreference;
import com.mongodb.bulk.BulkWriteResult;
import com.phishnet.store.platform.web.CursorCodec.Position;
import com.phishnet.store.support.RenderedBson;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.data.mongodb.core.BulkOperations.BulkMode;
import org.springframework.data.mongodb.core.ReactiveBulkOperations;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.data.mongodb.core.query.UpdateDefinition;

/** The commands the repository sends, rendered to the BSON the server receives. */
class ApiKeyQueriesTest {

    private static final Instant AT = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void theAuthenticationLookupIsAnEqualityOnThePrefixAloneReadFromThePrimary() {
        Query query = ApiKeyRepository.byPrefixQuery("abcdefgh2345");

        assertThat(RenderedBson.filter(query, ApiKey.class)).isEqualTo("{\"prefix\": \"abcdefgh2345\"}");
        assertThat(query.getReadPreference()).isEqualTo(ReadPreference.primary());
    }

    @Test
    void readsNameTheTenant() {
        assertThat(RenderedBson.filter(ApiKeyRepository.byId("acme", "k-1"), ApiKey.class))
                .isEqualTo("{\"_id\": \"k-1\", \"tenantId\": \"acme\"}");
    }

    @Test
    void aListPageIsTheTenantsKeysNewestFirstByCreationAndId() {
        Query first = ApiKeyRepository.pageQuery("acme", null, 0, 50);

        assertThat(RenderedBson.filter(first, ApiKey.class)).isEqualTo("{\"tenantId\": \"acme\"}");
        assertThat(RenderedBson.sort(first, ApiKey.class)).isEqualTo("{\"createdAt\": -1, \"_id\": -1}");
        assertThat(first.getLimit()).isEqualTo(50);
        assertThat(first.getSkip()).isZero();
        assertThat(ApiKeyRepository.pageQuery("acme", null, 100, 50).getSkip()).isEqualTo(100);
    }

    @Test
    void aKeysetPageStartsStrictlyAfterTheCursorWithoutSkipping() {
        Query next = ApiKeyRepository.pageQuery("acme", new Position(AT, "k-5"), 100, 50);

        assertThat(RenderedBson.filter(next, ApiKey.class)).isEqualTo("{\"tenantId\": \"acme\", \"$or\": ["
                + "{\"createdAt\": {\"$lt\": {\"$date\": \"2026-12-06T10:00:00Z\"}}}, "
                + "{\"$and\": [{\"createdAt\": {\"$date\": \"2026-12-06T10:00:00Z\"}}, {\"_id\": {\"$lt\": \"k-5\"}}]}]}");
        assertThat(next.getSkip()).isZero();
    }

    @Test
    void revocationOnlyTouchesAKeyNotRevokedYetAndRecordsWhoAndWhen() {
        assertThat(RenderedBson.filter(ApiKeyRepository.revocable("acme", "k-1"), ApiKey.class))
                .isEqualTo("{\"_id\": \"k-1\", \"tenantId\": \"acme\", \"revokedAt\": {\"$exists\": false}}");
        assertThat(RenderedBson.update(ApiKeyRepository.revocation("admin-1", AT), ApiKey.class))
                .isEqualTo("{\"$set\": {\"revokedAt\": {\"$date\": \"2026-12-06T10:00:00Z\"}, \"revokedBy\": \"admin-1\"}}");
    }

    @Test
    void retirementOnlyTouchesAKeyNeitherRevokedNorRotatedAndLinksItsSuccessor() {
        assertThat(RenderedBson.filter(ApiKeyRepository.rotatable("acme", "k-1"), ApiKey.class))
                .isEqualTo("{\"_id\": \"k-1\", \"tenantId\": \"acme\", \"revokedAt\": {\"$exists\": false},"
                        + " \"rotatedTo\": {\"$exists\": false}}");
        assertThat(RenderedBson.update(ApiKeyRepository.retirement("k-2", AT), ApiKey.class))
                .isEqualTo("{\"$set\": {\"rotatedTo\": \"k-2\", \"expiresAt\": {\"$date\": \"2026-12-06T10:00:00Z\"}}}");
    }

    @Test
    void theLastUseFlushIsOneUnorderedBulkOfMaxUpdatesByTenantAndId() {
        ReactiveMongoTemplate mongo = mock(ReactiveMongoTemplate.class);
        ReactiveBulkOperations bulk = mock(ReactiveBulkOperations.class);
        given(mongo.bulkOps(BulkMode.UNORDERED, ApiKey.class)).willReturn(bulk);
        given(bulk.updateOne(any(Query.class), any(UpdateDefinition.class))).willReturn(bulk);
        given(bulk.execute()).willReturn(Mono.just(BulkWriteResult.acknowledged(0, 2, 0, 1, List.of(), List.of())));

        StepVerifier.create(new ApiKeyRepository(mongo).recordUses(List.of(
                        new ApiKeyUses.Use("acme", "k-1", AT), new ApiKeyUses.Use("globex", "k-2", AT.plusSeconds(1)))))
                .expectNext(2).verifyComplete();

        ArgumentCaptor<Query> filters = ArgumentCaptor.forClass(Query.class);
        ArgumentCaptor<UpdateDefinition> updates = ArgumentCaptor.forClass(UpdateDefinition.class);
        verify(bulk, times(2)).updateOne(filters.capture(), updates.capture());
        verify(bulk).execute();
        assertThat(filters.getAllValues()).extracting(query -> RenderedBson.filter(query, ApiKey.class))
                .containsExactly("{\"_id\": \"k-1\", \"tenantId\": \"acme\"}", "{\"_id\": \"k-2\", \"tenantId\": \"globex\"}");
        assertThat(updates.getAllValues()).extracting(update -> RenderedBson.update((Update) update, ApiKey.class))
                .containsExactly("{\"$max\": {\"lastUsedAt\": {\"$date\": \"2026-12-06T10:00:00Z\"}}}",
                        "{\"$max\": {\"lastUsedAt\": {\"$date\": \"2026-12-06T10:00:01Z\"}}}");
    }

    @Test
    void aFlushWithoutUsesSendsNothing() {
        ReactiveMongoTemplate mongo = mock(ReactiveMongoTemplate.class);

        StepVerifier.create(new ApiKeyRepository(mongo).recordUses(List.of())).expectNext(0).verifyComplete();

        verifyNoInteractions(mongo);
    }
}
