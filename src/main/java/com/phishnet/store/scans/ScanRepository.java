package com.phishnet.store.scans;

import static org.springframework.data.mongodb.core.query.Criteria.where;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.phishnet.store.platform.mongo.Change;
import com.phishnet.store.platform.mongo.ChangeFeed;
import com.phishnet.store.platform.mongo.ChangeFilters;
import com.phishnet.store.platform.mongo.ChangePosition;
import com.phishnet.store.platform.web.CursorCodec.Position;
import org.bson.BsonValue;
import org.bson.Document;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.aggregation.AggregationOperation;
import org.springframework.data.mongodb.core.aggregation.AggregationUpdate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.TextCriteria;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reactive access to {@code scan_results}, {@code emails_meta} and {@code feedback}. Every query starts with
 * the tenant; lists sort by (time, _id) descending, the order of their indexes (see docs/architecture.md).
 */
@Repository
class ScanRepository {

    private final ReactiveMongoTemplate mongo;
    private final ChangeFeed changes;

    ScanRepository(ReactiveMongoTemplate mongo, ChangeFeed changes) {
        this.mongo = mongo;
        this.changes = changes;
    }

    /**
     * A change event of {@code scan_results} and the scan it names: the inserted one, or for an update the scan as
     * looked up when the event was read.
     */
    record ChangedScan(Change change, ScanResult scan) {

        /** The effective verdict the update's correction replaced; null for an insert. */
        Verdict correctedFrom() {
            return updatedVerdict(ScanFields.CORRECTED_FROM);
        }

        /** The effective verdict the update's correction set; null for an insert. */
        Verdict correctedTo() {
            return updatedVerdict(ScanFields.EFFECTIVE_VERDICT);
        }

        private Verdict updatedVerdict(String field) {
            BsonValue value = change.updatedFields().get(field);
            return value == null || !value.isString() ? null : Verdict.valueOf(value.asString().getValue());
        }
    }

    /** The email of a message id, created on first sight and reused when the message is scanned again. */
    Mono<EmailMeta> upsertEmail(EmailMeta email) {
        return mongo.findAndModify(emailByMessageId(email.tenantId(), email.messageId()), insertOnly(email),
                FindAndModifyOptions.options().upsert(true).returnNew(true), EmailMeta.class);
    }

    Mono<ScanResult> insertScan(ScanResult scan) {
        return mongo.insert(scan);
    }

    Mono<ScanResult> scanByIdempotencyKey(String tenantId, String key) {
        return mongo.findOne(byIdempotencyKey(tenantId, key), ScanResult.class);
    }

    /** Whether the tenant has the scan, read from the _id index without loading the scan (up to 500 indicators). */
    Mono<Boolean> scanExists(String tenantId, String id) {
        return mongo.exists(byId(ScanFields.TENANT_ID, ScanFields.ID, tenantId, id), ScanResult.class);
    }

    Mono<ScanResult> scan(String tenantId, String id) {
        return mongo.findOne(byId(ScanFields.TENANT_ID, ScanFields.ID, tenantId, id), ScanResult.class);
    }

    /** The id of the tenant's email of a message, if the tenant has one (unique index on tenantId, messageId). */
    Mono<String> emailIdOfMessage(String tenantId, String messageId) {
        // Only the id: an email can carry a thousand recipients.
        Query query = emailByMessageId(tenantId, messageId);
        query.fields().include(EmailFields.ID);
        return mongo.findOne(query, Document.class, EmailFields.COLLECTION).map(email -> email.getString(EmailFields.ID));
    }

    Flux<Feedback> feedbackList(Query query) {
        return mongo.find(query, Feedback.class);
    }

    Mono<Long> countFeedback(String tenantId, FeedbackFilter filter) {
        return mongo.count(feedbackListQuery(tenantId, filter, null), Feedback.class);
    }

    Mono<EmailMeta> email(String tenantId, String id) {
        return mongo.findOne(byId(EmailFields.TENANT_ID, EmailFields.ID, tenantId, id), EmailMeta.class);
    }

    Flux<ScanResult> scans(Query query) {
        return mongo.find(query, ScanResult.class);
    }

    Mono<Long> countScans(String tenantId, ScanFilter filter) {
        return mongo.count(scanQuery(tenantId, filter), ScanResult.class);
    }

    Flux<EmailMeta> emails(Query query) {
        return mongo.find(query, EmailMeta.class);
    }

    Mono<Long> countEmails(String tenantId, EmailFilter filter) {
        return mongo.count(emailQuery(tenantId, filter), EmailMeta.class);
    }

    /**
     * Moves the scan's effective verdict from {@code from} (as read in the same transaction) to {@code to}; returns
     * the scan as it was before. The filter names the scan's whole shard key (tenantId, idempotencyKey; a scan stored
     * without a key matches on null), so on a sharded cluster the findAndModify goes to one shard (docs/scaling.md).
     */
    Mono<ScanResult> setEffectiveVerdict(String tenantId, String scanId, String idempotencyKey, Verdict from, Verdict to) {
        return mongo.findAndModify(correctionTarget(tenantId, scanId, idempotencyKey), correction(from, to),
                ScanResult.class);
    }

    static Query correctionTarget(String tenantId, String scanId, String idempotencyKey) {
        return Query.query(where(ScanFields.TENANT_ID).is(tenantId).and(ScanFields.ID).is(scanId)
                .and(ScanFields.IDEMPOTENCY_KEY).is(idempotencyKey));
    }

    // ---- GDPR erasure: one server-side update per collection, each re-runnable (see Pseudonymisation) ----------

    /** Pseudonymises the user's emails still holding personal data; how many changed. */
    Mono<Long> pseudonymiseEmails(String tenantId, String userId, String address, String pseudonym) {
        return mongo.updateMulti(emailsToErase(tenantId, userId, address, pseudonym),
                        pipeline(erasedEmail(address, pseudonym)), EmailMeta.class)
                .map(result -> result.getModifiedCount());
    }

    /** Pseudonymises the user's scans that name the address as sender or in an indicator; how many changed. */
    Mono<Long> pseudonymiseScans(String tenantId, String userId, String address, String pseudonym) {
        return mongo.updateMulti(scansToErase(tenantId, userId, address), pipeline(erasedScan(address, pseudonym)),
                        ScanResult.class)
                .map(result -> result.getModifiedCount());
    }

    /** Removes the comments the user wrote as an analyst; how many. */
    Mono<Long> clearFeedbackComments(String tenantId, String analystId) {
        return mongo.updateMulti(commentsOf(tenantId, analystId), new Update().unset(FeedbackFields.COMMENT),
                        Feedback.class)
                .map(result -> result.getModifiedCount());
    }

    /**
     * The user's emails that still need a change: a subject, recipients other than the pseudonym alone, or the
     * person's own address as sender (when it is known). Served by emails_tenant_user (V013).
     */
    static Query emailsToErase(String tenantId, String userId, String address, String pseudonym) {
        List<Criteria> pending = new ArrayList<>(List.of(where(EmailFields.SUBJECT).exists(true),
                where(EmailFields.RECIPIENTS).ne(List.of(pseudonym))));
        if (address != null) {
            pending.add(where(EmailFields.SENDER).is(address));
        }
        return Query.query(where(EmailFields.TENANT_ID).is(tenantId).and(EmailFields.USER_ID).is(userId)
                .orOperator(pending));
    }

    /** Served by scans_tenant_user_scanned; matches the indicator rule of {@link Pseudonymisation#mentions}. */
    static Query scansToErase(String tenantId, String userId, String address) {
        return Query.query(where(ScanFields.TENANT_ID).is(tenantId).and(ScanFields.USER_ID).is(userId)
                .orOperator(where(ScanFields.SENDER).is(address),
                        where(ScanFields.INDICATORS + ".value").regex(Pseudonymisation.literalPattern(address), "i")));
    }

    /** Served by feedback_tenant_analyst_created_id (V017). */
    static Query commentsOf(String tenantId, String analystId) {
        return Query.query(where(FeedbackFields.TENANT_ID).is(tenantId).and(FeedbackFields.ANALYST_ID).is(analystId)
                .and(FeedbackFields.COMMENT).exists(true));
    }

    /**
     * Recipients become [pseudonym], the subject goes, and sender and senderDomain become the pseudonym's only where
     * the sender is the person's address. Values are $literal: an address may begin with '$'.
     */
    static List<Document> erasedEmail(String address, String pseudonym) {
        Document set = new Document(EmailFields.RECIPIENTS, literal(List.of(pseudonym)));
        if (address != null) {
            Document own = new Document("$eq", List.of("$" + EmailFields.SENDER, literal(address)));
            set.append(EmailFields.SENDER, cond(own, literal(pseudonym), "$" + EmailFields.SENDER))
                    .append(EmailFields.SENDER_DOMAIN, cond(own,
                            literal(pseudonym.substring(pseudonym.indexOf('@') + 1)), "$" + EmailFields.SENDER_DOMAIN));
        }
        return List.of(new Document("$set", set), new Document("$unset", List.of(EmailFields.SUBJECT)));
    }

    /** Sender as for emails; each string indicator value as {@link Pseudonymisation#indicatorValue}. */
    static List<Document> erasedScan(String address, String pseudonym) {
        String regex = Pseudonymisation.literalPattern(address);
        Document own = new Document("$eq", List.of("$" + ScanFields.SENDER, literal(address)));
        Document firstSpelling = new Document("$let", new Document("vars", new Document("found",
                new Document("$regexFind", regexOn("$$i.value", regex)))).append("in", "$$found.match"));
        Document value = new Document("$let", new Document("vars", new Document("once",
                new Document("$replaceAll", new Document("input", "$$i.value").append("find", firstSpelling)
                        .append("replacement", literal(pseudonym)))))
                .append("in", cond(new Document("$regexMatch", regexOn("$$once", regex)), literal(pseudonym), "$$once")));
        // $cond evaluates only the branch it takes, so $regexMatch never sees a value that is no string.
        Document indicator = cond(new Document("$ne", List.of(new Document("$type", "$$i.value"), "string")), "$$i",
                cond(new Document("$regexMatch", regexOn("$$i.value", regex)),
                        new Document("$mergeObjects", List.of("$$i", new Document("value", value))), "$$i"));
        Document indicators = cond(new Document("$isArray", "$" + ScanFields.INDICATORS),
                new Document("$map", new Document("input", "$" + ScanFields.INDICATORS).append("as", "i")
                        .append("in", indicator)),
                "$" + ScanFields.INDICATORS);
        return List.of(new Document("$set", new Document(ScanFields.SENDER, cond(own, literal(pseudonym),
                "$" + ScanFields.SENDER)).append(ScanFields.INDICATORS, indicators)));
    }

    private static AggregationUpdate pipeline(List<Document> stages) {
        return AggregationUpdate.from(stages.stream().<AggregationOperation>map(stage -> context -> stage).toList());
    }

    private static Document literal(Object value) {
        return new Document("$literal", value);
    }

    private static Document cond(Object condition, Object then, Object otherwise) {
        return new Document("$cond", java.util.Arrays.asList(condition, then, otherwise));
    }

    private static Document regexOn(String input, String regex) {
        return new Document("input", input).append("regex", regex).append("options", "i");
    }

    /** Every committed scan of every tenant. */
    Flux<ChangedScan> insertedScans(ChangePosition from) {
        return watch(insertedScansPipeline(), from);
    }

    /** Scans inserted with a threatening verdict, and corrections that raised a scan's verdict, of every tenant. */
    Flux<ChangedScan> threats(ChangePosition from) {
        return watch(threatsPipeline(), from);
    }

    Mono<Feedback> feedback(String tenantId, String scanId, String analystId) {
        return mongo.findOne(feedbackQuery(tenantId, scanId, analystId), Feedback.class);
    }

    Mono<Feedback> upsertFeedback(Feedback feedback) {
        return mongo.findAndModify(feedbackQuery(feedback.tenantId(), feedback.scanId(), feedback.analystId()),
                feedbackUpdate(feedback), FindAndModifyOptions.options().upsert(true).returnNew(true), Feedback.class);
    }

    private Flux<ChangedScan> watch(List<Document> pipeline, ChangePosition from) {
        return changes.watch(ScanFields.COLLECTION, pipeline, from)
                // An update whose scan was deleted before the lookup has nothing left to show.
                .filter(change -> change.fullDocument() != null)
                .map(change -> new ChangedScan(change, mongo.getConverter().read(ScanResult.class, change.fullDocument())));
    }

    /** The previous verdict goes into the same update, so its change event shows which way the verdict moved. */
    static Update correction(Verdict from, Verdict to) {
        return new Update().set(ScanFields.EFFECTIVE_VERDICT, to).set(ScanFields.CORRECTED_FROM, from);
    }

    static List<Document> insertedScansPipeline() {
        return ChangeFilters.pipeline(ChangeFilters.operationTypeIn(ChangeFilters.INSERT));
    }

    /**
     * Inserts whose verdict is SUSPICIOUS or MALICIOUS, or updates that set an effective verdict above the one they
     * replaced: every raising (correctedFrom, effectiveVerdict) pair is spelled out, so the server drops lowering
     * corrections and every other update.
     */
    static List<Document> threatsPipeline() {
        List<String> threatening = new ArrayList<>();
        List<Document> raises = new ArrayList<>();
        for (Verdict to : Verdict.values()) {
            if (to.isAbove(Verdict.CLEAN)) {
                threatening.add(to.name());
            }
            for (Verdict from : Verdict.values()) {
                if (to.isAbove(from)) {
                    raises.add(new Document(ChangeFilters.updatedField(ScanFields.CORRECTED_FROM), from.name())
                            .append(ChangeFilters.updatedField(ScanFields.EFFECTIVE_VERDICT), to.name()));
                }
            }
        }
        Document detected = ChangeFilters.operationTypeIn(ChangeFilters.INSERT)
                .append(ChangeFilters.fullDocument(ScanFields.VERDICT), new Document("$in", threatening));
        Document raised = ChangeFilters.operationTypeIn(ChangeFilters.UPDATE).append("$or", raises);
        return ChangeFilters.pipeline(new Document("$or", List.of(detected, raised)));
    }

    /**
     * A missing comment, rating or flag is removed, not stored as null: the validator accepts no null there, and a
     * second feedback replaces the first. The scan's model version and original verdict are set on every write
     * (they never change), so a feedback V017 could not backfill gets them when its analyst writes again.
     */
    static Update feedbackUpdate(Feedback feedback) {
        Update update = new Update()
                .setOnInsert(FeedbackFields.ID, feedback.id())
                .setOnInsert(FeedbackFields.CREATED_AT, feedback.createdAt())
                .set(FeedbackFields.CORRECTED_VERDICT, feedback.correctedVerdict())
                .set(FeedbackFields.UPDATED_AT, feedback.updatedAt());
        // A scan stored without a model version (a restore, an import) must not make its feedback fail validation.
        setOrUnset(update, FeedbackFields.MODEL_VERSION, feedback.modelVersion());
        setOrUnset(update, FeedbackFields.SCAN_VERDICT, feedback.scanVerdict());
        setOrUnset(update, FeedbackFields.COMMENT, feedback.comment());
        setOrUnset(update, FeedbackFields.RATING, feedback.rating());
        setOrUnset(update, FeedbackFields.FLAG, feedback.flag());
        return update;
    }

    private static void setOrUnset(Update update, String field, Object value) {
        if (value == null) {
            update.unset(field);
        }
        else {
            update.set(field, value);
        }
    }

    /**
     * The tenant's feedback matching the filter, newest first by (createdAt, _id). Served by
     * feedback_tenant_scan_created with a scan, feedback_tenant_analyst_created_id with an analyst (V017), and
     * feedback_tenant_created otherwise (V002); with both a scan and an analyst at most one document matches.
     */
    static Query feedbackListQuery(String tenantId, FeedbackFilter filter, Instant atMost) {
        Criteria criteria = where(FeedbackFields.TENANT_ID).is(tenantId);
        if (filter.scanId() != null) {
            criteria.and(FeedbackFields.SCAN_ID).is(filter.scanId());
        }
        if (filter.analystId() != null) {
            criteria.and(FeedbackFields.ANALYST_ID).is(filter.analystId());
        }
        timeRange(criteria, FeedbackFields.CREATED_AT, filter.from(), filter.to(), atMost);
        return Query.query(criteria);
    }

    /** A feedback page: by offset, or (position given) strictly after the keyset position, never with skip. */
    static Query feedbackPage(String tenantId, FeedbackFilter filter, Position after, long skip, int limit) {
        Query query = feedbackListQuery(tenantId, filter, after == null ? null : after.at());
        if (after != null) {
            query.addCriteria(keyset(FeedbackFields.CREATED_AT, FeedbackFields.ID, after));
        }
        query.with(Sort.by(Sort.Direction.DESC, FeedbackFields.CREATED_AT, FeedbackFields.ID)).limit(limit);
        if (after == null && skip > 0) {
            query.skip(skip);
        }
        return query;
    }

    static Query scanQuery(String tenantId, ScanFilter filter) {
        return scanQuery(tenantId, filter, null);
    }

    /** {@code atMost}: the keyset position's time, an inclusive upper bound that keeps index scans tight. */
    static Query scanQuery(String tenantId, ScanFilter filter, Instant atMost) {
        Criteria criteria = where(ScanFields.TENANT_ID).is(tenantId);
        if (filter.verdict() != null) {
            criteria.and(ScanFields.VERDICT).is(filter.verdict());
        }
        if (filter.sender() != null) {
            criteria.and(ScanFields.SENDER).is(filter.sender());
        }
        if (filter.userId() != null) {
            criteria.and(ScanFields.USER_ID).is(filter.userId());
        }
        if (filter.emailId() != null) {
            criteria.and(ScanFields.EMAIL_ID).is(filter.emailId());
        }
        if (filter.minScore() != null || filter.maxScore() != null) {
            Criteria score = criteria.and(ScanFields.SCORE);
            if (filter.minScore() != null) {
                score.gte(filter.minScore());
            }
            if (filter.maxScore() != null) {
                score.lte(filter.maxScore());
            }
        }
        timeRange(criteria, ScanFields.SCANNED_AT, filter.from(), filter.to(), atMost);
        return Query.query(criteria);
    }

    /** A scan page: by offset, or (position given) strictly after the keyset position, never with skip. */
    static Query scanPage(String tenantId, ScanFilter filter, Position after, long skip, int limit) {
        Query query = scanQuery(tenantId, filter, after == null ? null : after.at());
        if (after != null) {
            query.addCriteria(keyset(ScanFields.SCANNED_AT, ScanFields.ID, after));
        }
        query.with(Sort.by(Sort.Direction.DESC, ScanFields.SCANNED_AT, ScanFields.ID)).limit(limit);
        if (after == null && skip > 0) {
            query.skip(skip);
        }
        return query;
    }

    static Query emailQuery(String tenantId, EmailFilter filter) {
        return emailQuery(tenantId, filter, null);
    }

    static Query emailQuery(String tenantId, EmailFilter filter, Instant atMost) {
        Criteria criteria = where(EmailFields.TENANT_ID).is(tenantId);
        if (filter.sender() != null) {
            criteria.and(EmailFields.SENDER).is(filter.sender());
        }
        if (filter.recipient() != null) {
            criteria.and(EmailFields.RECIPIENTS).is(filter.recipient());
        }
        if (filter.sha256() != null) {
            criteria.and(EmailFields.SHA256).is(filter.sha256());
        }
        timeRange(criteria, EmailFields.RECEIVED_AT, filter.from(), filter.to(), atMost);
        Query query = Query.query(criteria);
        if (filter.text() != null && !filter.text().isBlank()) {
            // Served by emails_tenant_text: a $text query must name the tenant, the index's equality prefix.
            query.addCriteria(TextCriteria.forLanguage("none").matching(filter.text()));
        }
        return query;
    }

    static Query emailPage(String tenantId, EmailFilter filter, Position after, long skip, int limit) {
        Query query = emailQuery(tenantId, filter, after == null ? null : after.at());
        if (after != null) {
            query.addCriteria(keyset(EmailFields.RECEIVED_AT, EmailFields.ID, after));
        }
        query.with(Sort.by(Sort.Direction.DESC, EmailFields.RECEIVED_AT, EmailFields.ID)).limit(limit);
        if (after == null && skip > 0) {
            query.skip(skip);
        }
        return query;
    }

    /** Strictly after (at, id) in (time desc, id desc) order: earlier times, or the same time and a smaller id. */
    static Criteria keyset(String timeField, String idField, Position after) {
        return new Criteria().orOperator(
                where(timeField).lt(after.at()),
                new Criteria().andOperator(where(timeField).is(after.at()), where(idField).lt(after.id())));
    }

    static Query byIdempotencyKey(String tenantId, String key) {
        return Query.query(where(ScanFields.TENANT_ID).is(tenantId).and(ScanFields.IDEMPOTENCY_KEY).is(key));
    }

    static Query emailByMessageId(String tenantId, String messageId) {
        return Query.query(where(EmailFields.TENANT_ID).is(tenantId).and(EmailFields.MESSAGE_ID).is(messageId));
    }

    static Update insertOnly(EmailMeta email) {
        return new Update()
                .setOnInsert(EmailFields.ID, email.id())
                .setOnInsert(EmailFields.USER_ID, email.userId())
                .setOnInsert(EmailFields.SENDER, email.sender())
                .setOnInsert(EmailFields.SENDER_DOMAIN, email.senderDomain())
                .setOnInsert(EmailFields.RECIPIENTS, email.recipients())
                .setOnInsert(EmailFields.SUBJECT, email.subject() == null ? "" : email.subject())
                .setOnInsert(EmailFields.RECEIVED_AT, email.receivedAt())
                .setOnInsert(EmailFields.SIZE_BYTES, email.sizeBytes())
                .setOnInsert(EmailFields.HASHES, email.hashes())
                .setOnInsert(EmailFields.LEGAL_HOLD, false)
                .setOnInsert(EmailFields.CREATED_AT, email.createdAt());
    }

    static Query feedbackQuery(String tenantId, String scanId, String analystId) {
        return Query.query(where(FeedbackFields.TENANT_ID).is(tenantId).and(FeedbackFields.SCAN_ID).is(scanId)
                .and(FeedbackFields.ANALYST_ID).is(analystId));
    }

    private static void timeRange(Criteria criteria, String field, Instant from, Instant to, Instant atMost) {
        if (from != null || to != null || atMost != null) {
            Criteria time = criteria.and(field);
            if (from != null) {
                time.gte(from);
            }
            if (to != null) {
                time.lt(to);
            }
            if (atMost != null) {
                time.lte(atMost);
            }
        }
    }

    private static Query byId(String tenantField, String idField, String tenantId, String id) {
        return Query.query(where(tenantField).is(tenantId).and(idField).is(id));
    }
}
