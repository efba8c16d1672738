package com.phishnet.store.migrations;

import static com.mongodb.client.model.Indexes.ascending;
import static com.mongodb.client.model.Indexes.compoundIndex;
import static com.mongodb.client.model.Indexes.descending;
import static com.mongodb.client.model.Indexes.text;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.phishnet.store.audit.AuditFields;
import com.phishnet.store.backup.BackupFields;
import com.phishnet.store.credentials.CredentialFields;
import com.phishnet.store.reputation.ReputationFields;
import com.phishnet.store.scans.EmailFields;
import com.phishnet.store.scans.FeedbackFields;
import com.phishnet.store.scans.ScanFields;
import com.phishnet.store.tokens.RefreshTokenFields;
import com.phishnet.store.users.UserFields;
import io.mongock.api.annotations.ChangeUnit;
import io.mongock.api.annotations.Execution;
import io.mongock.api.annotations.RollbackExecution;
import org.bson.conversions.Bson;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every index the queries of the service need. Tenant queries are served by indexes that start with
 * {@code tenantId}; lists sort by time and then {@code _id}, so one index serves both offset and keyset paging.
 * Index names are explicit so later migrations can find and change them. {@code createIndexes} with an
 * identical definition is a no-op, which makes this unit idempotent.
 */
@ChangeUnit(id = "V002-create-indexes", order = "0002", author = "phishnet-store", transactional = false)
public class V002_CreateIndexes {

    @Execution
    public void createIndexes(MongoDatabase database) {
        indexes().forEach((collection, models) ->
                Flux.from(database.getCollection(collection).createIndexes(models)).then().block());
    }

    @RollbackExecution
    public void dropIndexes(MongoDatabase database) {
        indexes().forEach((collection, models) -> models.forEach(model -> Mono.from(
                database.getCollection(collection).dropIndex(model.getOptions().getName()))
                .onErrorResume(missing -> Mono.empty())
                .block()));
    }

    /** Index definitions per collection; visible for tests of their rendered BSON. */
    static Map<String, List<IndexModel>> indexes() {
        Map<String, List<IndexModel>> indexes = new LinkedHashMap<>();
        indexes.put(UserFields.COLLECTION, List.of(
                unique("users_tenant_email_unique", ascending(UserFields.TENANT_ID, UserFields.EMAIL_NORMALIZED)),
                index("users_tenant_created", compoundIndex(ascending(UserFields.TENANT_ID),
                        descending(UserFields.CREATED_AT, UserFields.ID))),
                index("users_tenant_role_status", ascending(UserFields.TENANT_ID, UserFields.ROLE, UserFields.STATUS))));
        indexes.put(CredentialFields.COLLECTION, List.of(
                // One active credential per user and provider; revoked ones stay for the audit trail.
                new IndexModel(ascending(CredentialFields.TENANT_ID, CredentialFields.USER_ID, CredentialFields.PROVIDER),
                        new IndexOptions().name("credentials_tenant_user_provider_active_unique").unique(true)
                                .partialFilterExpression(Filters.eq(CredentialFields.STATUS, "ACTIVE"))),
                index("credentials_tenant_account_blind_index",
                        ascending(CredentialFields.TENANT_ID, CredentialFields.ACCOUNT_BLIND_INDEX))));
        indexes.put(EmailFields.COLLECTION, List.of(
                unique("emails_tenant_message_unique", ascending(EmailFields.TENANT_ID, EmailFields.MESSAGE_ID)),
                index("emails_tenant_received", compoundIndex(ascending(EmailFields.TENANT_ID),
                        descending(EmailFields.RECEIVED_AT, EmailFields.ID))),
                index("emails_tenant_sender_received", compoundIndex(ascending(EmailFields.TENANT_ID, EmailFields.SENDER),
                        descending(EmailFields.RECEIVED_AT, EmailFields.ID))),
                index("emails_tenant_recipient_received", compoundIndex(
                        ascending(EmailFields.TENANT_ID, EmailFields.RECIPIENTS), descending(EmailFields.RECEIVED_AT))),
                // The tenantId prefix makes every text search name its tenant (the server requires an
                // equality match on a text index's prefix). "none": no stemming or stop words for addresses.
                new IndexModel(compoundIndex(ascending(EmailFields.TENANT_ID), text(EmailFields.SUBJECT),
                        text(EmailFields.SENDER)),
                        new IndexOptions().name("emails_tenant_text").defaultLanguage("none"))));
        indexes.put(ScanFields.COLLECTION, List.of(
                // Only requests that carried an Idempotency-Key are constrained.
                new IndexModel(ascending(ScanFields.TENANT_ID, ScanFields.IDEMPOTENCY_KEY),
                        new IndexOptions().name("scans_tenant_idempotency_unique").unique(true)
                                .partialFilterExpression(Filters.exists(ScanFields.IDEMPOTENCY_KEY))),
                index("scans_tenant_scanned", compoundIndex(ascending(ScanFields.TENANT_ID),
                        descending(ScanFields.SCANNED_AT, ScanFields.ID))),
                index("scans_tenant_verdict_scanned", compoundIndex(ascending(ScanFields.TENANT_ID, ScanFields.VERDICT),
                        descending(ScanFields.SCANNED_AT, ScanFields.ID))),
                index("scans_tenant_user_scanned", compoundIndex(ascending(ScanFields.TENANT_ID, ScanFields.USER_ID),
                        descending(ScanFields.SCANNED_AT, ScanFields.ID))),
                index("scans_tenant_email", ascending(ScanFields.TENANT_ID, ScanFields.EMAIL_ID))));
        indexes.put(AuditFields.COLLECTION, List.of(
                // A second writer appending the same position fails here instead of forking the chain.
                unique(AuditFields.SEQUENCE_INDEX, ascending(AuditFields.TENANT_ID, AuditFields.SEQUENCE)),
                index("audit_tenant_at", compoundIndex(ascending(AuditFields.TENANT_ID),
                        descending(AuditFields.AT, AuditFields.ID))),
                index("audit_tenant_event_at", compoundIndex(ascending(AuditFields.TENANT_ID, AuditFields.EVENT_TYPE),
                        descending(AuditFields.AT))),
                index("audit_tenant_actor_at", compoundIndex(ascending(AuditFields.TENANT_ID, AuditFields.ACTOR_ID),
                        descending(AuditFields.AT))),
                index("audit_tenant_target_at", compoundIndex(
                        ascending(AuditFields.TENANT_ID, AuditFields.TARGET_TYPE, AuditFields.TARGET_ID),
                        descending(AuditFields.AT)))));
        indexes.put(RefreshTokenFields.COLLECTION, List.of(
                // Presented tokens are looked up by hash before the tenant is known; the hash is unique on its own.
                unique("refresh_tokens_hash_unique", ascending(RefreshTokenFields.TOKEN_HASH)),
                index("refresh_tokens_tenant_family", ascending(RefreshTokenFields.TENANT_ID, RefreshTokenFields.FAMILY_ID)),
                index("refresh_tokens_tenant_user", ascending(RefreshTokenFields.TENANT_ID, RefreshTokenFields.USER_ID)),
                expiring("refresh_tokens_expiry_ttl", RefreshTokenFields.EXPIRES_AT)));
        indexes.put(ReputationFields.COLLECTION, List.of(
                unique("reputation_subject_unique", ascending(ReputationFields.SUBJECT_TYPE, ReputationFields.SUBJECT)),
                expiring("reputation_expiry_ttl", ReputationFields.EXPIRES_AT)));
        indexes.put(FeedbackFields.COLLECTION, List.of(
                unique("feedback_tenant_scan_analyst_unique",
                        ascending(FeedbackFields.TENANT_ID, FeedbackFields.SCAN_ID, FeedbackFields.ANALYST_ID)),
                index("feedback_tenant_created", compoundIndex(ascending(FeedbackFields.TENANT_ID),
                        descending(FeedbackFields.CREATED_AT, FeedbackFields.ID))),
                index("feedback_tenant_analyst_created", compoundIndex(
                        ascending(FeedbackFields.TENANT_ID, FeedbackFields.ANALYST_ID), descending(FeedbackFields.CREATED_AT)))));
        indexes.put(BackupFields.COLLECTION, List.of(
                index("backups_requested", descending(BackupFields.REQUESTED_AT, BackupFields.ID)),
                index("backups_state_requested", compoundIndex(ascending(BackupFields.STATE),
                        descending(BackupFields.REQUESTED_AT)))));
        return indexes;
    }

    private static IndexModel index(String name, Bson keys) {
        return new IndexModel(keys, new IndexOptions().name(name));
    }

    private static IndexModel unique(String name, Bson keys) {
        return new IndexModel(keys, new IndexOptions().name(name).unique(true));
    }

    /** TTL index: the server deletes a document once its {@code expiresAt} instant has passed. */
    private static IndexModel expiring(String name, String field) {
        return new IndexModel(ascending(field), new IndexOptions().name(name).expireAfter(0L, TimeUnit.SECONDS));
    }
}
