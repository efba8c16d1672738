package com.phishnet.store.migrations;

import static com.mongodb.client.model.Indexes.ascending;
import static com.mongodb.client.model.Indexes.compoundIndex;
import static com.mongodb.client.model.Indexes.descending;

import java.util.List;

import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.phishnet.store.scans.EmailFields;
import io.mongock.api.annotations.ChangeUnit;
import io.mongock.api.annotations.Execution;
import io.mongock.api.annotations.RollbackExecution;
import reactor.core.publisher.Flux;

/**
 * The index of the lookup by content hash ({@code GET /api/v1/emails?sha256=}): the tenant, the hash, then the
 * list's order, so a page is read in order without a sort. The lookup of scans by message id needs no new index:
 * the message's email comes from {@code emails_tenant_message_unique}, its scans from {@code scans_tenant_email}.
 * Only createIndexes: within the migrator's roles (MigrationPrivileges).
 */
@ChangeUnit(id = "V016-email-hash-lookup", order = "0016", author = "phishnet-store", transactional = false)
public class V016_EmailHashLookup {

    static final String EMAILS_BY_HASH = "emails_tenant_sha256_received";

    @Execution
    public void apply(MongoDatabase database) {
        Flux.from(database.getCollection(EmailFields.COLLECTION).createIndexes(indexes())).then().block();
    }

    @RollbackExecution
    public void rollback(MongoDatabase database) {
        // An index only speeds reads up; the next run finds it in place.
    }

    static List<IndexModel> indexes() {
        return List.of(new IndexModel(compoundIndex(ascending(EmailFields.TENANT_ID, EmailFields.SHA256),
                descending(EmailFields.RECEIVED_AT, EmailFields.ID)), new IndexOptions().name(EMAILS_BY_HASH)));
    }
}
