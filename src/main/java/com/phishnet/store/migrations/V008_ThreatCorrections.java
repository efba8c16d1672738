package com.phishnet.store.migrations;

import static com.phishnet.store.migrations.JsonSchema.enumOf;
import static com.phishnet.store.migrations.JsonSchema.validator;

import com.mongodb.reactivestreams.client.MongoDatabase;
import com.phishnet.store.scans.ScanFields;
import io.mongock.api.annotations.ChangeUnit;
import io.mongock.api.annotations.Execution;
import io.mongock.api.annotations.RollbackExecution;
import org.bson.Document;
import reactor.core.publisher.Mono;

/**
 * A correction records the effective verdict it replaced ({@code correctedFrom}), so the threats stream can tell a
 * raised verdict from a lowered one in the update's change event. Optional: scans never corrected, and those
 * corrected before this change, have none.
 */
@ChangeUnit(id = "V008-threat-corrections", order = "0008", author = "phishnet-store", transactional = false)
public class V008_ThreatCorrections {

    @Execution
    public void apply(MongoDatabase database) {
        Mono.from(database.runCommand(new Document("collMod", ScanFields.COLLECTION)
                .append("validator", scans())
                .append("validationLevel", "strict")
                .append("validationAction", "error"))).block();
    }

    @RollbackExecution
    public void rollback(MongoDatabase database) {
        // Re-running applies the same validator; nothing to undo.
    }

    /** V004's scan validator plus the verdict a correction replaced. */
    static Document scans() {
        Document schema = V004_ScanIngestion.scans().get("$jsonSchema", Document.class);
        Document properties = new Document(schema.get("properties", Document.class));
        properties.append(ScanFields.CORRECTED_FROM, enumOf(ScanFields.VERDICTS));
        return validator(new Document(schema).append("properties", properties));
    }
}
