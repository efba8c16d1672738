package com.phishnet.store.retention;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.phishnet.store.audit.AuditFields;
import com.phishnet.store.jobs.JobFields;
import com.phishnet.store.jobs.JobState;
import com.phishnet.store.scans.EmailFields;
import com.phishnet.store.scans.FeedbackFields;
import com.phishnet.store.scans.ScanFields;
import org.bson.Document;

/**
 * The filters a retention run selects, counts and deletes with: pure functions of a kind of data, a tenant, the
 * instant before which its data has expired, and the legal holds. Each filter starts with {@code tenantId} and the
 * kind's time field, so the tenant-first time index of each collection serves it.
 * <ul>
 * <li>{@code emails_meta} by {@code receivedAt}, {@code scan_results} by {@code scannedAt}, {@code feedback} by
 * {@code createdAt}; held when the tenant is held, when the record's user (a feedback's analyst) is held, or when
 * the record's own {@code legalHold} flag is set;</li>
 * <li>finished jobs by {@code completedAt}; a service job (no tenant) follows the default policy;</li>
 * <li>audit entries only as a prefix of the tenant's chain, up to a sequence number the audit service chose.</li>
 * </ul>
 */
final class RetentionPlanner {

    /** The active legal holds: tenants held whole, and held users by tenant. */
    record Holds(Set<String> tenants, Map<String, Set<String>> users) {

        static Holds of(List<LegalHold> active) {
            Set<String> tenants = new java.util.TreeSet<>();
            Map<String, Set<String>> users = new java.util.TreeMap<>();
            for (LegalHold hold : active) {
                if (hold.userId() == null) {
                    tenants.add(hold.tenantId());
                }
                else {
                    users.computeIfAbsent(hold.tenantId(), tenant -> new java.util.TreeSet<>()).add(hold.userId());
                }
            }
            return new Holds(Set.copyOf(tenants), Map.copyOf(users));
        }

        boolean tenantHeld(String tenantId) {
            return tenantId != null && tenants.contains(tenantId);
        }

        Set<String> users(String tenantId) {
            return tenantId == null ? Set.of() : users.getOrDefault(tenantId, Set.of());
        }
    }

    /** The kinds a run deletes itself; system metrics expire by their collection's own expireAfterSeconds. */
    static final List<RetainedData> DELETED_BY_RUNS = List.of(RetainedData.EMAILS_META, RetainedData.SCAN_RESULTS,
            RetainedData.FEEDBACK, RetainedData.JOBS, RetainedData.AUDIT_LOGS);

    /** Every tenant's document names its tenant so (docs: DESIGN, data model). */
    static final String TENANT_ID = "tenantId";

    private RetentionPlanner() {
    }

    static String timeField(RetainedData data) {
        return switch (data) {
            case EMAILS_META -> EmailFields.RECEIVED_AT;
            case SCAN_RESULTS -> ScanFields.SCANNED_AT;
            case FEEDBACK -> FeedbackFields.CREATED_AT;
            case JOBS -> JobFields.COMPLETED_AT;
            case AUDIT_LOGS -> AuditFields.AT;
            case SYSTEM_METRICS -> throw new IllegalArgumentException("system metrics expire by themselves");
        };
    }

    /** The field naming the user whose data a record is, or null when a record belongs to no user. */
    static String userField(RetainedData data) {
        return switch (data) {
            case EMAILS_META -> EmailFields.USER_ID;
            case SCAN_RESULTS -> ScanFields.USER_ID;
            case FEEDBACK -> FeedbackFields.ANALYST_ID;
            default -> null;
        };
    }

    /** The record's own hold flag, or null for kinds that have none. */
    static String holdFlag(RetainedData data) {
        return switch (data) {
            case EMAILS_META -> EmailFields.LEGAL_HOLD;
            case SCAN_RESULTS -> ScanFields.LEGAL_HOLD;
            case FEEDBACK -> FeedbackFields.LEGAL_HOLD;
            default -> null;
        };
    }

    /** Past the policy, holds aside: what a tenant's data of this kind would lose without any hold. */
    static Document expired(RetainedData data, String tenantId, Instant before) {
        Document filter = new Document(TENANT_ID, tenantId == null ? new Document("$exists", false) : tenantId);
        if (data == RetainedData.JOBS) {
            // A running job has no completedAt, but say so: only finished jobs expire.
            filter.append(JobFields.STATE, new Document("$in", List.of(JobState.COMPLETED.name(), JobState.FAILED.name())));
        }
        filter.append(timeField(data), new Document("$lt", Date.from(before)));
        return filter;
    }

    /**
     * What a run may archive and delete of a tenant's data of this kind: past the policy and not held. Null when a
     * hold covers the whole tenant. Not for audit entries (see {@link #auditPrefix}).
     */
    static Document deletable(RetainedData data, String tenantId, Instant before, Holds holds) {
        if (data == RetainedData.AUDIT_LOGS) {
            throw new IllegalArgumentException("audit entries go only as a prefix of their chain");
        }
        if (holds.tenantHeld(tenantId)) {
            return null;
        }
        Document filter = expired(data, tenantId, before);
        String flag = holdFlag(data);
        if (flag != null) {
            filter.append(flag, new Document("$ne", true));
        }
        String userField = userField(data);
        Set<String> heldUsers = holds.users(tenantId);
        if (userField != null && !heldUsers.isEmpty()) {
            filter.append(userField, new Document("$nin", List.copyOf(heldUsers)));
        }
        return filter;
    }

    /** A tenant's audit entries up to and including {@code throughSeq}: served by the unique (tenantId, seq) index. */
    static Document auditPrefix(String tenantId, long throughSeq) {
        return new Document(AuditFields.TENANT_ID, tenantId).append(AuditFields.SEQUENCE, new Document("$lte", throughSeq));
    }

    /** One clause as it is, several under {@code $or}: each clause keeps its own index. */
    static Document anyOf(List<Document> clauses) {
        if (clauses.isEmpty()) {
            throw new IllegalArgumentException("nothing to select");
        }
        return clauses.size() == 1 ? clauses.get(0) : new Document("$or", clauses);
    }

    /** The documents of one archived batch that may still go: the same ids, and still deletable now. */
    static Document stillDeletable(List<?> ids, Document deletable) {
        return new Document("$and", List.of(new Document("_id", new Document("$in", ids)), deletable));
    }
}
