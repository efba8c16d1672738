package com.phishnet.store.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import com.phishnet.store.support.RenderedBson;
import org.bson.Document;
import org.junit.jupiter.api.Test;

class AuditQueriesTest {

    @Test
    void theChainHeadIsTheHighestSequenceOfTheTenant() {
        var query = AuditRepository.lastQuery("acme");

        assertThat(RenderedBson.filter(query, AuditEntry.class)).isEqualTo("{\"tenantId\": \"acme\"}");
        assertThat(RenderedBson.sort(query, AuditEntry.class)).isEqualTo("{\"seq\": -1}");
        assertThat(query.getLimit()).isEqualTo(1);
    }

    @Test
    void erasureSelectsTheV2EntriesTheUserActedInNotYetErased() {
        assertThat(Document.parse(RenderedBson.filter(AuditRepository.erasableQuery("acme", "u-1"), AuditEntry.class)))
                .isEqualTo(Document.parse("""
                        {tenantId: 'acme', actorId: 'u-1', v: 2, erasedAt: {$exists: false}}"""));
    }

    @Test
    void erasureRemovesThePersonalFieldsAndTheSaltAndKeepsTheDigest() {
        Instant now = Instant.parse("2026-12-01T10:00:00.123Z");

        Document update = Document.parse(RenderedBson.update(AuditRepository.eraseUpdate(now), AuditEntry.class));

        assertThat(update.get("$unset", Document.class).keySet()).containsExactlyInAnyOrder("ip", "userAgent", "salt");
        assertThat(update.get("$set", Document.class).keySet()).containsExactly("erasedAt");
        assertThat(update.get("$set", Document.class).get("erasedAt")).isEqualTo(java.util.Date.from(now));
        assertThat(update.toJson()).doesNotContain("personalDigest");
    }

    @Test
    void legacyEntriesAreTheEntriesTheUserActedInWithoutAVersion() {
        assertThat(Document.parse(RenderedBson.filter(AuditRepository.legacyQuery("acme", "u-1"), AuditEntry.class)))
                .isEqualTo(Document.parse("{tenantId: 'acme', actorId: 'u-1', v: {$exists: false}}"));
    }

    @Test
    void removalDeletesThePrefixOfTheTenantsChainOnly() {
        assertThat(Document.parse(RenderedBson.filter(AuditRepository.throughQuery("acme", 41), AuditEntry.class)))
                .isEqualTo(Document.parse("{tenantId: 'acme', seq: {$lte: 41}}"));
    }

    @Test
    void theChainAfterACheckpointIsReadInSeqOrder() {
        var query = AuditRepository.afterQuery("acme", 41);

        assertThat(Document.parse(RenderedBson.filter(query, AuditEntry.class)))
                .isEqualTo(Document.parse("{tenantId: 'acme', seq: {$gt: 41}}"));
        assertThat(RenderedBson.sort(query, AuditEntry.class)).isEqualTo("{\"seq\": 1}");
    }

    @Test
    void theCheckpointIsWrittenWholeUnderTheTenantsId() {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");

        Document update = Document.parse(RenderedBson.update(AuditRepository.checkpointUpdate(
                new AuditCheckpoint("acme", 41, "a".repeat(64), now, "archive-7")), AuditCheckpoint.class));

        assertThat(update.get("$set", Document.class)).containsEntry("hash", "a".repeat(64))
                .containsEntry("archiveId", "archive-7").containsEntry("removedAt", java.util.Date.from(now));
        assertThat(update.get("$set", Document.class).get("seq", Number.class).longValue()).isEqualTo(41L);
    }
}
