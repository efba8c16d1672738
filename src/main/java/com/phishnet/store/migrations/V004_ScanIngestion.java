package com.phishnet.store.migrations;

import static com.mongodb.client.model.Indexes.ascending;
import static com.mongodb.client.model.Indexes.compoundIndex;
import static com.mongodb.client.model.Indexes.descending;
import static com.phishnet.store.migrations.JsonSchema.date;
import static com.phishnet.store.migrations.JsonSchema.enumOf;
import static com.phishnet.store.migrations.JsonSchema.object;
import static com.phishnet.store.migrations.JsonSchema.properties;
import static com.phishnet.store.migrations.JsonSchema.string;
import static com.phishnet.store.migrations.JsonSchema.validator;
import static com.phishnet.store.migrations.JsonSchema.wholeNumber;

import java.util.List;

import com.mongodb.client.model.CreateCollectionOptions;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.ValidationAction;
import com.mongodb.client.model.ValidationLevel;
import com.mongodb.client.model.ValidationOptions;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.phishnet.store.analytics.TenantStatsFields;
import com.phishnet.store.scans.ScanFields;
import io.mongock.api.annotations.ChangeUnit;
import io.mongock.api.annotations.Execution;
import io.mongock.api.annotations.RollbackExecution;
import org.bson.Document;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What scan ingestion needs beyond V001/V002: the scan validator extended by the effective verdict, the
 * denormalised sender and the request hash; a sender index for scan lists; and {@code tenant_stats}.
 */
@ChangeUnit(id = "V004-scan-ingestion", order = "0004", author = "phishnet-store", transactional = false)
public class V004_ScanIngestion {

    @Execution
    public void apply(MongoDatabase database) {
        Mono.from(database.runCommand(new Document("collMod", ScanFields.COLLECTION)
                .append("validator", scans())
                .append("validationLevel", "strict")
                .append("validationAction", "error"))).block();
        List<String> existing = Flux.from(database.listCollectionNames()).collectList().block();
        if (!existing.contains(TenantStatsFields.COLLECTION)) {
            Mono.from(database.createCollection(TenantStatsFields.COLLECTION, new CreateCollectionOptions()
                    .validationOptions(new ValidationOptions().validator(tenantStats())
                            .validationLevel(ValidationLevel.STRICT).validationAction(ValidationAction.ERROR)))).block();
        }
        Flux.from(database.getCollection(ScanFields.COLLECTION).createIndexes(scanIndexes())).then().block();
    }

    @RollbackExecution
    public void rollback(MongoDatabase database) {
        // Re-running applies the same validator and indexes; nothing to undo.
    }

    /** V001's scan validator plus the fields ingestion and feedback add. */
    static Document scans() {
        Document schema = V001_CreateCollections.scans().get("$jsonSchema", Document.class);
        Document properties = new Document(schema.get("properties", Document.class));
        properties.append(ScanFields.EFFECTIVE_VERDICT, enumOf(ScanFields.VERDICTS))
                .append(ScanFields.SENDER, string(3, 320))
                .append(ScanFields.REQUEST_HASH, string(64, 64));
        List<String> required = new java.util.ArrayList<>(schema.getList("required", String.class));
        required.add(ScanFields.EFFECTIVE_VERDICT);
        return validator(new Document(schema).append("required", required).append("properties", properties));
    }

    static Document tenantStats() {
        return validator(object(
                List.of(TenantStatsFields.ID, TenantStatsFields.TOTAL),
                properties(
                        TenantStatsFields.ID, string(1, 64),
                        TenantStatsFields.TOTAL, wholeNumber(0),
                        TenantStatsFields.CLEAN, wholeNumber(0),
                        TenantStatsFields.SUSPICIOUS, wholeNumber(0),
                        TenantStatsFields.MALICIOUS, wholeNumber(0),
                        TenantStatsFields.FEEDBACK, wholeNumber(0),
                        TenantStatsFields.LAST_SCAN_AT, date(),
                        TenantStatsFields.UPDATED_AT, date())));
    }

    static List<IndexModel> scanIndexes() {
        return List.of(new IndexModel(compoundIndex(ascending(ScanFields.TENANT_ID, ScanFields.SENDER),
                descending(ScanFields.SCANNED_AT, ScanFields.ID)), new IndexOptions().name("scans_tenant_sender_scanned")));
    }
}
