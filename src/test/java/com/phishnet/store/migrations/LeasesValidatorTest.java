package com.phishnet.store.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import com.phishnet.store.platform.mongo.Lease;
import com.phishnet.store.platform.mongo.LeaseFields;
import com.phishnet.store.support.JsonSchemaSubset;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The {@code leases} validator admits exactly what {@link Lease} writes, at the bounds {@link LeaseFields} names. */
class LeasesValidatorTest {

    private static final Instant NOW = Instant.parse("2026-03-01T01:30:00Z");

    @Test
    void aFirstTakeAtTheLongestNameAndHolderSatisfiesTheValidator() {
        Document inserted = firstTake("n".repeat(LeaseFields.NAME_MAX_LENGTH), "h".repeat(LeaseFields.HOLDER_MAX_LENGTH));

        assertThat(JsonSchemaSubset.violations(V010_Backups.leases(), inserted)).isEmpty();
    }

    @Test
    void aNameOrHolderLongerThanLeaseFieldsAllowsIsRejected() {
        assertThat(JsonSchemaSubset.violations(V010_Backups.leases(),
                firstTake("n".repeat(LeaseFields.NAME_MAX_LENGTH + 1), "holder"))).isNotEmpty();
        assertThat(JsonSchemaSubset.violations(V010_Backups.leases(),
                firstTake("backup-schedule", "h".repeat(LeaseFields.HOLDER_MAX_LENGTH + 1)))).isNotEmpty();
    }

    /** What the server inserts when the take's upsert finds no document: the filter's equality on _id, then $set. */
    private static Document firstTake(String name, String holder) {
        Document inserted = new Document(LeaseFields.ID, name);
        inserted.putAll(Lease.acquireUpdate(holder, NOW, Duration.ofHours(2)).get("$set", Document.class));
        return inserted;
    }
}
