package com.phishnet.store.reputation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Set;

import com.phishnet.store.support.RenderedBson;
import org.junit.jupiter.api.Test;

/** Document ids, Redis keys and the queries of reputation entries, per owner. */
class ReputationOwnerTest {

    private final String url = ReputationRepositoryIT.longUrl();
    private final Instant now = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void theDocumentIdHasAFixedLengthWhateverTheSubject() {
        assertThat(ReputationOwner.GLOBAL.documentId(SubjectType.URL, url))
                .hasSize(ReputationFields.ID_LENGTH).matches("[0-9a-f]{64}");
    }

    @Test
    void globalTenantAndOtherTenantEntriesOfOneSubjectHaveDistinctIdsAndKeys() {
        Set<ReputationOwner> owners = Set.of(ReputationOwner.GLOBAL, ReputationOwner.tenant("acme"),
                ReputationOwner.tenant("globex"));

        assertThat(owners.stream().map(owner -> owner.documentId(SubjectType.DOMAIN, "phish.example")).distinct())
                .hasSize(3);
        assertThat(owners.stream().map(owner -> owner.cacheKey(SubjectType.DOMAIN, "phish.example")).distinct())
                .hasSize(3);
    }

    @Test
    void aTenantOverrideMustNameItsTenant() {
        assertThatThrownBy(() -> new ReputationOwner(ReputationScope.TENANT, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReputationOwner(ReputationScope.GLOBAL, "acme"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theUpsertFiltersOnTheStringIdAlone() {
        ReputationEntry entry = ReputationEntry.of(ReputationOwner.tenant("acme"), SubjectType.URL, url,
                ReputationVerdict.CLEAN, 0.1, "analyst", now, now.plusSeconds(60));

        assertThat(RenderedBson.filter(ReputationRepository.upsertQuery(entry), ReputationEntry.class))
                .isEqualTo("{\"_id\": \"" + entry.id() + "\"}");
    }

    @Test
    void anOverrideLookupStartsWithTheTenant() {
        String filter = RenderedBson.filter(ReputationRepository.validQuery(ReputationOwner.tenant("acme"),
                SubjectType.DOMAIN, "phish.example", now), ReputationEntry.class);

        assertThat(filter).startsWith("{\"tenantId\": \"acme\", \"subjectType\": \"DOMAIN\", \"subject\": \"phish.example\"")
                .contains("\"expiresAt\": {\"$gt\": {\"$date\": \"2026-11-23T10:00:00Z\"}}");
    }

    @Test
    void aGlobalLookupIsByIdAndNeverMatchesAnOverride() {
        String filter = RenderedBson.filter(ReputationRepository.validQuery(ReputationOwner.GLOBAL,
                SubjectType.DOMAIN, "phish.example", now), ReputationEntry.class);

        assertThat(filter).startsWith("{\"_id\": \"" + ReputationOwner.GLOBAL.documentId(SubjectType.DOMAIN,
                "phish.example") + "\"").doesNotContain("tenantId");
    }

    @Test
    void aCachedEntryReadsBackAsItsOwnersEntry() {
        ReputationEntry entry = ReputationEntry.of(ReputationOwner.tenant("acme"), SubjectType.DOMAIN, "phish.example",
                ReputationVerdict.CLEAN, 0.25, "analyst", now, now.plusSeconds(60));

        assertThat(ReputationEntry.fromCacheValue(entry.owner(), SubjectType.DOMAIN, "phish.example",
                entry.toCacheValue())).isEqualTo(entry);
    }
}
