package com.phishnet.store.audit;

import static org.assertj.core.api.Assertions.assertThat;

import static com.phishnet.store.audit.StoredEdits.SALT;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.Test;

class AuditChainTest {

    private final Instant now = Instant.parse("2026-11-23T10:15:30.123456789Z");
    private final AuditEvent event = new AuditEvent("acme", AuditEventType.USER_CREATED, "admin-1", "users", "u-1",
            AuditOutcome.SUCCESS, "10.0.0.1", "curl/8", "req-1", Map.of("role", "ANALYST"));

    @Test
    void theFirstEntryStartsTheChain() {
        AuditEntry first = AuditChain.next(null, event, now, "a1", SALT);

        assertThat(first.seq()).isEqualTo(1);
        assertThat(first.prevHash()).isNull();
        assertThat(first.hash()).hasSize(64).matches("[0-9a-f]+");
    }

    @Test
    void eachEntryLinksToThePreviousHash() {
        AuditEntry first = AuditChain.next(null, event, now, "a1", SALT);
        AuditEntry second = AuditChain.next(first, event, now.plusSeconds(1), "a2", SALT);

        assertThat(second.seq()).isEqualTo(2);
        assertThat(second.prevHash()).isEqualTo(first.hash());
        assertThat(second.hash()).isNotEqualTo(first.hash());
    }

    @Test
    void hashesWhatMongoDbStoresMillisecondsOnly() {
        AuditEntry entry = AuditChain.next(null, event, now, "a1", SALT);

        assertThat(entry.at()).isEqualTo(Instant.parse("2026-11-23T10:15:30.123Z"));
        assertThat(AuditChain.hash(entry)).isEqualTo(entry.hash());
    }

    @Test
    void anyEditedFieldChangesTheHash() {
        AuditEntry entry = AuditChain.next(null, event, now, "a1", SALT);
        AuditEntry edited = StoredEdits.edit(entry, stored -> stored.put("actorId", "someone-else"));

        assertThat(AuditChain.hash(edited)).isNotEqualTo(entry.hash());
    }

    @Test
    void editedDetailsChangeTheHash() {
        AuditEntry entry = AuditChain.next(null, event, now, "a1", SALT);
        AuditEntry edited = StoredEdits.edit(entry, stored -> stored.put("details", new Document("role", "ADMIN")));

        assertThat(AuditChain.hash(edited)).isNotEqualTo(entry.hash());
    }

    @Test
    void aNewEntryIsV2WithItsSaltAndTheDigestOfItsPersonalFields() {
        AuditEntry entry = AuditChain.next(null, event, now, "a1", SALT);

        assertThat(entry.v()).isEqualTo(2);
        assertThat(entry.salt()).isEqualTo("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
        assertThat(entry.personalDigest()).isEqualTo(AuditChain.personalDigest(entry.salt(), "10.0.0.1", "curl/8"))
                .matches("[0-9a-f]{64}");
        assertThat(entry.erasedAt()).isNull();
    }

    @Test
    void theSameAddressUnderAnotherSaltHasAnotherDigest() {
        byte[] otherSalt = SALT.clone();
        otherSalt[0] ^= 1;

        assertThat(AuditChain.next(null, event, now, "a1", otherSalt).personalDigest())
                .isNotEqualTo(AuditChain.next(null, event, now, "a1", SALT).personalDigest());
    }

    @Test
    void theV2HashCoversTheDigestNotTheSaltNorThePersonalFieldsNorTheErasure() {
        AuditEntry entry = AuditChain.next(null, event, now, "a1", SALT);

        assertThat(AuditChain.hash(AuditChain.erased(entry, now))).isEqualTo(entry.hash());
        assertThat(AuditChain.hash(StoredEdits.edit(entry, stored -> stored.put("ip", "198.51.100.1"))))
                .isEqualTo(entry.hash());
        assertThat(AuditChain.hash(StoredEdits.edit(entry, stored -> stored.put("personalDigest", "0".repeat(64)))))
                .isNotEqualTo(entry.hash());
    }

    @Test
    void aV1EntryHashesAsBeforeWithTheOldDomain() {
        AuditEntry v1 = StoredEdits.v1(null, event, now, "a1");

        // v1 covers ip in clear: the same entry read as v2 would not match its hash.
        assertThat(AuditChain.hash(StoredEdits.edit(v1, stored -> stored.put("ip", "10.0.0.2")))).isNotEqualTo(v1.hash());
        assertThat(AuditChain.hash(StoredEdits.edit(v1, stored -> stored.append("v", 2)
                .append("personalDigest", AuditChain.personalDigest("ab".repeat(32), "10.0.0.1", "curl/8")))))
                .isNotEqualTo(v1.hash());
    }

    @Test
    void aSaltOfAnotherLengthIsRefused() {
        assertThatThrownBy(() -> AuditChain.next(null, event, now, "a1", new byte[16]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMissingValueAndAnEmptyOneHashDifferently() {
        AuditEvent withoutIp = new AuditEvent("acme", AuditEventType.USER_CREATED, "admin-1", "users", "u-1",
                AuditOutcome.SUCCESS, null, "curl/8", "req-1", Map.of());
        AuditEvent withEmptyIp = new AuditEvent("acme", AuditEventType.USER_CREATED, "admin-1", "users", "u-1",
                AuditOutcome.SUCCESS, "", "curl/8", "req-1", Map.of());

        assertThat(AuditChain.next(null, withoutIp, now, "a", SALT).personalDigest())
                .isNotEqualTo(AuditChain.next(null, withEmptyIp, now, "a", SALT).personalDigest());
        assertThat(AuditChain.next(null, withoutIp, now, "a", SALT).hash())
                .isNotEqualTo(AuditChain.next(null, withEmptyIp, now, "a", SALT).hash());
    }

    @Test
    void theDocumentIdIsNotPartOfTheHash() {
        assertThat(AuditChain.next(null, event, now, "a1", SALT).hash()).isEqualTo(AuditChain.next(null, event, now, "zz", SALT).hash());
    }
}
