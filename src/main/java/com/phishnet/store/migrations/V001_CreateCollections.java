package com.phishnet.store.migrations;

import static com.phishnet.store.migrations.JsonSchema.anyObject;
import static com.phishnet.store.migrations.JsonSchema.arrayOf;
import static com.phishnet.store.migrations.JsonSchema.binary;
import static com.phishnet.store.migrations.JsonSchema.bool;
import static com.phishnet.store.migrations.JsonSchema.date;
import static com.phishnet.store.migrations.JsonSchema.enumOf;
import static com.phishnet.store.migrations.JsonSchema.number;
import static com.phishnet.store.migrations.JsonSchema.object;
import static com.phishnet.store.migrations.JsonSchema.properties;
import static com.phishnet.store.migrations.JsonSchema.string;
import static com.phishnet.store.migrations.JsonSchema.validator;
import static com.phishnet.store.migrations.JsonSchema.wholeNumber;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.model.CreateCollectionOptions;
import com.mongodb.client.model.TimeSeriesGranularity;
import com.mongodb.client.model.TimeSeriesOptions;
import com.mongodb.client.model.ValidationAction;
import com.mongodb.client.model.ValidationLevel;
import com.mongodb.client.model.ValidationOptions;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.phishnet.store.analytics.MetricFields;
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
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Creates the ten collections of the data model, each with a strict {@code $jsonSchema} validator, and
 * {@code system_metrics} as a time-series collection that expires its measurements.
 * <p>
 * DDL cannot run inside a multi-document transaction on an existing collection, so this unit is not
 * transactional. It is idempotent: a collection that exists already gets the validator applied with
 * {@code collMod} instead of being created again.
 */
@ChangeUnit(id = "V001-create-collections", order = "0001", author = "phishnet-store", transactional = false)
public class V001_CreateCollections {

    /** Measurements older than this are removed by the server (time-series {@code expireAfterSeconds}). */
    static final long METRICS_EXPIRE_AFTER_SECONDS = TimeUnit.DAYS.toSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(V001_CreateCollections.class);

    @Execution
    public void createCollections(MongoDatabase database) {
        List<String> existing = Flux.from(database.listCollectionNames()).collectList().block();
        for (CollectionDefinition definition : definitions()) {
            if (existing.contains(definition.name())) {
                applyValidator(database, definition);
            }
            else {
                Mono.from(database.createCollection(definition.name(), definition.options())).block();
            }
        }
    }

    @RollbackExecution
    public void leaveCollections() {
        // The collections are created empty; a failed run leaves nothing a retry cannot reuse.
        log.warn("V001 did not finish; the collections it created stay and the next run completes them");
    }

    /** The collections and their options, in creation order; visible for tests. */
    static List<CollectionDefinition> definitions() {
        List<CollectionDefinition> definitions = new ArrayList<>();
        definitions.add(validated(UserFields.COLLECTION, users()));
        definitions.add(validated(CredentialFields.COLLECTION, credentials()));
        definitions.add(validated(EmailFields.COLLECTION, emails()));
        definitions.add(validated(ScanFields.COLLECTION, scans()));
        definitions.add(validated(AuditFields.COLLECTION, audit()));
        definitions.add(validated(RefreshTokenFields.COLLECTION, refreshTokens()));
        definitions.add(validated(ReputationFields.COLLECTION, reputation()));
        definitions.add(validated(FeedbackFields.COLLECTION, feedback()));
        definitions.add(validated(BackupFields.COLLECTION, backups()));
        // The server refuses user validators on time-series collections; the time and meta fields are
        // enforced by the collection type itself.
        definitions.add(new CollectionDefinition(MetricFields.COLLECTION, new CreateCollectionOptions()
                .timeSeriesOptions(new TimeSeriesOptions(MetricFields.TIMESTAMP)
                        .metaField(MetricFields.META)
                        .granularity(TimeSeriesGranularity.SECONDS))
                .expireAfter(METRICS_EXPIRE_AFTER_SECONDS, TimeUnit.SECONDS), null));
        return definitions;
    }

    static Document users() {
        return validator(object(
                List.of(UserFields.ID, UserFields.TENANT_ID, UserFields.EMAIL, UserFields.EMAIL_NORMALIZED,
                        UserFields.ROLE, UserFields.STATUS, UserFields.CREATED_AT),
                properties(
                        UserFields.ID, string(1, 64),
                        UserFields.TENANT_ID, string(1, 64),
                        UserFields.EMAIL, string(3, 320),
                        UserFields.EMAIL_NORMALIZED, string(3, 320),
                        UserFields.DISPLAY_NAME, string(0, 200),
                        UserFields.ROLE, enumOf(UserFields.ROLES),
                        // Frozen as V001 wrote it: V013 widened the list (ERASED) with collMod.
                        UserFields.STATUS, enumOf("ACTIVE", "SUSPENDED", "DEACTIVATED"),
                        UserFields.STATS, anyObject(),
                        UserFields.CREATED_AT, date(),
                        UserFields.UPDATED_AT, date(),
                        UserFields.VERSION, wholeNumber(0))));
    }

    /** Token fields must be sealed sub-documents with binary ciphertext: a plaintext string fails validation. */
    static Document credentials() {
        return validator(object(
                List.of(CredentialFields.ID, CredentialFields.TENANT_ID, CredentialFields.USER_ID,
                        CredentialFields.PROVIDER, CredentialFields.ACCESS_TOKEN, CredentialFields.STATUS,
                        CredentialFields.CREATED_AT),
                properties(
                        CredentialFields.ID, string(1, 64),
                        CredentialFields.TENANT_ID, string(1, 64),
                        CredentialFields.USER_ID, string(1, 64),
                        CredentialFields.PROVIDER, enumOf(CredentialFields.PROVIDERS),
                        CredentialFields.ACCOUNT_BLIND_INDEX, string(1, 128),
                        CredentialFields.ACCESS_TOKEN, sealed(),
                        CredentialFields.REFRESH_TOKEN, sealed(),
                        CredentialFields.SCOPES, arrayOf(string(1, 256), 100),
                        CredentialFields.STATUS, enumOf(CredentialFields.STATUSES),
                        CredentialFields.EXPIRES_AT, date(),
                        CredentialFields.CREATED_AT, date(),
                        CredentialFields.ROTATED_AT, date(),
                        CredentialFields.REVOKED_AT, date())));
    }

    static Document emails() {
        return validator(object(
                List.of(EmailFields.ID, EmailFields.TENANT_ID, EmailFields.MESSAGE_ID, EmailFields.SENDER,
                        EmailFields.RECEIVED_AT, EmailFields.CREATED_AT),
                properties(
                        EmailFields.ID, string(1, 64),
                        EmailFields.TENANT_ID, string(1, 64),
                        EmailFields.USER_ID, string(1, 64),
                        EmailFields.MESSAGE_ID, string(1, 998),
                        EmailFields.SENDER, string(3, 320),
                        EmailFields.SENDER_DOMAIN, string(1, 255),
                        EmailFields.RECIPIENTS, arrayOf(string(3, 320), 1000),
                        EmailFields.SUBJECT, string(0, 2000),
                        EmailFields.RECEIVED_AT, date(),
                        EmailFields.SIZE_BYTES, wholeNumber(0),
                        EmailFields.HASHES, anyObject(),
                        EmailFields.LEGAL_HOLD, bool(),
                        EmailFields.CREATED_AT, date())));
    }

    static Document scans() {
        return validator(object(
                List.of(ScanFields.ID, ScanFields.TENANT_ID, ScanFields.EMAIL_ID, ScanFields.VERDICT,
                        ScanFields.SCORE, ScanFields.SCANNED_AT, ScanFields.CREATED_AT),
                properties(
                        ScanFields.ID, string(1, 64),
                        ScanFields.TENANT_ID, string(1, 64),
                        ScanFields.USER_ID, string(1, 64),
                        ScanFields.EMAIL_ID, string(1, 64),
                        ScanFields.VERDICT, enumOf(ScanFields.VERDICTS),
                        ScanFields.SCORE, number(0, 1),
                        ScanFields.INDICATORS, arrayOf(anyObject(), 500),
                        ScanFields.MODEL_VERSION, string(1, 100),
                        ScanFields.TIMINGS, anyObject(),
                        ScanFields.IDEMPOTENCY_KEY, string(1, 200),
                        ScanFields.SCANNED_AT, date(),
                        ScanFields.LEGAL_HOLD, bool(),
                        ScanFields.CREATED_AT, date())));
    }

    static Document audit() {
        return validator(object(
                List.of(AuditFields.ID, AuditFields.TENANT_ID, AuditFields.SEQUENCE, AuditFields.EVENT_TYPE,
                        AuditFields.OUTCOME, AuditFields.AT, AuditFields.HASH),
                properties(
                        AuditFields.ID, string(1, 64),
                        AuditFields.TENANT_ID, string(1, 64),
                        AuditFields.SEQUENCE, wholeNumber(1),
                        AuditFields.EVENT_TYPE, string(1, 100),
                        AuditFields.ACTOR_ID, string(1, 128),
                        AuditFields.TARGET_TYPE, string(1, 100),
                        AuditFields.TARGET_ID, string(1, 128),
                        AuditFields.OUTCOME, enumOf(AuditFields.OUTCOMES),
                        AuditFields.IP, string(0, 64),
                        AuditFields.USER_AGENT, string(0, 1000),
                        AuditFields.REQUEST_ID, string(1, 100),
                        AuditFields.DETAILS, anyObject(),
                        AuditFields.AT, date(),
                        AuditFields.PREVIOUS_HASH, string(64, 64),
                        AuditFields.HASH, string(64, 64),
                        AuditFields.LEGAL_HOLD, bool())));
    }

    static Document refreshTokens() {
        return validator(object(
                List.of(RefreshTokenFields.ID, RefreshTokenFields.TENANT_ID, RefreshTokenFields.USER_ID,
                        RefreshTokenFields.FAMILY_ID, RefreshTokenFields.TOKEN_HASH, RefreshTokenFields.STATUS,
                        RefreshTokenFields.ISSUED_AT, RefreshTokenFields.EXPIRES_AT),
                properties(
                        RefreshTokenFields.ID, string(1, 64),
                        RefreshTokenFields.TENANT_ID, string(1, 64),
                        RefreshTokenFields.USER_ID, string(1, 64),
                        RefreshTokenFields.FAMILY_ID, string(1, 64),
                        RefreshTokenFields.TOKEN_HASH, string(64, 64),
                        RefreshTokenFields.STATUS, enumOf(RefreshTokenFields.STATUSES),
                        RefreshTokenFields.ISSUED_AT, date(),
                        RefreshTokenFields.EXPIRES_AT, date(),
                        RefreshTokenFields.USED_AT, date(),
                        RefreshTokenFields.REPLACED_BY, string(1, 64))));
    }

    static Document reputation() {
        return validator(object(
                List.of(ReputationFields.ID, ReputationFields.SUBJECT_TYPE, ReputationFields.SUBJECT,
                        ReputationFields.VERDICT, ReputationFields.FETCHED_AT, ReputationFields.EXPIRES_AT),
                properties(
                        ReputationFields.ID, string(1, 64),
                        ReputationFields.SUBJECT_TYPE, enumOf(ReputationFields.SUBJECT_TYPES),
                        ReputationFields.SUBJECT, string(1, 2048),
                        ReputationFields.VERDICT, enumOf(ReputationFields.VERDICTS),
                        ReputationFields.SCORE, number(0, 1),
                        ReputationFields.SOURCE, string(1, 100),
                        ReputationFields.FETCHED_AT, date(),
                        ReputationFields.EXPIRES_AT, date())));
    }

    static Document feedback() {
        return validator(object(
                List.of(FeedbackFields.ID, FeedbackFields.TENANT_ID, FeedbackFields.SCAN_ID,
                        FeedbackFields.ANALYST_ID, FeedbackFields.CORRECTED_VERDICT, FeedbackFields.CREATED_AT),
                properties(
                        FeedbackFields.ID, string(1, 64),
                        FeedbackFields.TENANT_ID, string(1, 64),
                        FeedbackFields.SCAN_ID, string(1, 64),
                        FeedbackFields.ANALYST_ID, string(1, 64),
                        FeedbackFields.CORRECTED_VERDICT, enumOf(ScanFields.VERDICTS),
                        FeedbackFields.COMMENT, string(0, 4000),
                        FeedbackFields.CREATED_AT, date(),
                        FeedbackFields.UPDATED_AT, date(),
                        FeedbackFields.LEGAL_HOLD, bool())));
    }

    static Document backups() {
        return validator(object(
                List.of(BackupFields.ID, BackupFields.STATE, BackupFields.REQUESTED_AT),
                properties(
                        BackupFields.ID, string(1, 64),
                        BackupFields.STATE, enumOf(BackupFields.STATES),
                        BackupFields.REQUESTED_BY, string(1, 128),
                        BackupFields.REQUESTED_AT, date(),
                        BackupFields.COMPLETED_AT, date(),
                        BackupFields.COUNTS, anyObject(),
                        BackupFields.CHECKSUM, string(1, 128),
                        BackupFields.SIZE_BYTES, wholeNumber(0),
                        BackupFields.LOCATION, string(1, 2048),
                        BackupFields.ERROR, string(0, 4000))));
    }

    private static Document sealed() {
        return object(List.of(CredentialFields.SEALED_KEY_ID, CredentialFields.SEALED_CIPHERTEXT),
                properties(
                        CredentialFields.SEALED_KEY_ID, string(1, 64),
                        CredentialFields.SEALED_CIPHERTEXT, binary()));
    }

    private static CollectionDefinition validated(String name, Document validator) {
        return new CollectionDefinition(name, new CreateCollectionOptions().validationOptions(strict(validator)),
                validator);
    }

    private static ValidationOptions strict(Document validator) {
        return new ValidationOptions()
                .validator(validator)
                .validationLevel(ValidationLevel.STRICT)
                .validationAction(ValidationAction.ERROR);
    }

    private static void applyValidator(MongoDatabase database, CollectionDefinition definition) {
        if (definition.validator() == null) {
            return;
        }
        Document collMod = new Document("collMod", definition.name())
                .append("validator", definition.validator())
                .append("validationLevel", "strict")
                .append("validationAction", "error");
        Mono.from(database.runCommand(collMod)).block();
    }

    /** One collection: its name, creation options and validator (null for time-series). */
    record CollectionDefinition(String name, CreateCollectionOptions options, Document validator) {
    }
}
