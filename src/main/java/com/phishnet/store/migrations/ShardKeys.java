package com.phishnet.store.migrations;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.phishnet.store.analytics.MetricFields;
import com.phishnet.store.apikeys.ApiKeyFields;
import com.phishnet.store.analytics.TenantStatsFields;
import com.phishnet.store.audit.AuditFields;
import com.phishnet.store.backup.BackupFields;
import com.phishnet.store.credentials.CredentialFields;
import com.phishnet.store.erasure.ErasureFields;
import com.phishnet.store.jobs.JobFields;
import com.phishnet.store.platform.mongo.LeaseFields;
import com.phishnet.store.reputation.ReputationFields;
import com.phishnet.store.retention.RetentionFields;
import com.phishnet.store.scans.EmailFields;
import com.phishnet.store.scans.FeedbackFields;
import com.phishnet.store.scans.ScanFields;
import com.phishnet.store.streams.StreamTicketFields;
import com.phishnet.store.tokens.RefreshTokenFields;
import com.phishnet.store.users.UserFields;
import org.bson.Document;

/**
 * The shard key of every collection the service owns, or why it stays unsharded: the one catalog that
 * {@link V019_ShardKeys} applies on a sharded cluster, that {@code ShardKeysTest} checks every unique index against,
 * and that {@code docs/scaling.md} explains.
 * <p>
 * Keys are tenant-first and <em>ranged</em>: every tenant-scoped unique index of the service must have the whole
 * shard key as its prefix (MongoDB manual, "Shard Key Indexes", unique indexes: only the ranged shard key index and
 * compound indexes prefixed by it can be unique), which decides most keys below. The second field is random (UUIDs,
 * Message-IDs, random idempotency keys) wherever one is available, so a hot tenant's writes spread over its own chunks
 * without a hashed key; the one monotonic second field ({@code audit_logs.seq}) is written one entry at a time per
 * tenant by the hash chain anyway. Upserts must name the full shard key by equality (manual, "db.collection.updateOne()",
 * "upsert on a Sharded Collection"), which every upsert on a sharded collection here does.
 */
public final class ShardKeys {

    private static final List<Entry> CATALOG = List.of(
            sharded(UserFields.COLLECTION, new Document(UserFields.TENANT_ID, 1),
                    "tenantId alone: the per-tenant unique indexes (tenantId, emailNormalized) and (tenantId,"
                            + " idempotencyKey) need the whole key as their prefix, and erasure rewrites emailNormalized,"
                            + " so no second field is stable and unique-compatible. A tenant's users are bounded by its"
                            + " seats; one tenant's users cannot be split across chunks"),
            sharded(CredentialFields.COLLECTION, new Document(CredentialFields.TENANT_ID, 1).append(CredentialFields.USER_ID, 1),
                    "tenantId, userId (UUID): prefix of the unique (tenantId, userId, provider) index; every write names"
                            + " both (a user's credentials), so each is a single-shard write"),
            sharded(EmailFields.COLLECTION, new Document(EmailFields.TENANT_ID, 1).append(EmailFields.MESSAGE_ID, 1),
                    "tenantId, messageId: the unique (tenantId, messageId) index is the key itself, and ingestion's"
                            + " upsert filters on exactly these two; Message-IDs are high-cardinality and not ordered"),
            sharded(ScanFields.COLLECTION, new Document(ScanFields.TENANT_ID, 1).append(ScanFields.IDEMPOTENCY_KEY, 1),
                    "tenantId, idempotencyKey: prefix of the unique (tenantId, idempotencyKey) index; every scan has a"
                            + " key (the client's, or server:<random UUID>); scans written before keys were generated lack"
                            + " it and sit in the tenant's null range"),
            sharded(AuditFields.COLLECTION, new Document(AuditFields.TENANT_ID, 1).append(AuditFields.SEQUENCE, 1),
                    "tenantId, seq: the unique (tenantId, seq) chain index is the key; seq is monotonic within a tenant,"
                            + " but appends of one tenant are serialised by its hash chain, and verification reads the"
                            + " chain as a range"),
            sharded(FeedbackFields.COLLECTION, new Document(FeedbackFields.TENANT_ID, 1).append(FeedbackFields.SCAN_ID, 1),
                    "tenantId, scanId (UUID): prefix of the unique (tenantId, scanId, analystId) index, which the"
                            + " feedback upsert filters on"),
            unsharded(RefreshTokenFields.COLLECTION, "presented tokens are found by their hash before the tenant is"
                    + " known, so tokenHash must stay unique across the cluster; small (TTL removes expired tokens)"),
            unsharded(ApiKeyFields.COLLECTION, "keys are found by prefix before the tenant is known, so the prefix must stay unique"
                    + " across the cluster; a handful per tenant"),
            unsharded(ReputationFields.COLLECTION, "global verdicts have no tenant; a TTL-bounded cache behind Redis. If it"
                    + " outgrows the primary shard: {_id: hashed} (the upsert filters on _id alone), with tenant-override"
                    + " reads changed to _id equality first"),
            unsharded(TenantStatsFields.COLLECTION, "one small document per tenant (_id = tenant)"),
            unsharded(JobFields.COLLECTION, "the partial unique index 'one running service job per type' is global;"
                    + " small (finished jobs are deleted after 180 days)"),
            unsharded(StreamTicketFields.COLLECTION, "single-use tickets living 60 s; tiny"),
            unsharded(LeaseFields.COLLECTION, "cluster-wide singletons: one document per scheduled task"),
            unsharded(BackupFields.COLLECTION, "service-wide job records, a few per day"),
            unsharded(RetentionFields.RUNS, "service-wide run reports, one per day"),
            unsharded(RetentionFields.POLICIES, "one small document per tenant with overrides"),
            unsharded(RetentionFields.HOLDS, "a handful of holds per tenant"),
            unsharded(AuditFields.CHECKPOINTS, "one document per tenant (_id = tenant)"),
            unsharded(ErasureFields.COLLECTION, "the register of erased users: small, append-mostly"),
            unsharded(MetricFields.COLLECTION, "time series of the service's own measurements, not tenant data; 30-day"
                    + " expiry keeps it small"),
            unsharded("mongockChangeLog", "Mongock's change log: one entry per change unit"),
            unsharded("mongockLock", "Mongock's lock: one document"));

    private ShardKeys() {
    }

    /** Every collection of the service, sharded or not, in catalog order. */
    public static List<Entry> all() {
        return CATALOG;
    }

    /** The collections that get a shard key on a sharded cluster. */
    public static List<Entry> sharded() {
        List<Entry> sharded = new ArrayList<>();
        CATALOG.stream().filter(Entry::sharded).forEach(sharded::add);
        return sharded;
    }

    public static Optional<Entry> of(String collection) {
        return CATALOG.stream().filter(entry -> entry.collection().equals(collection)).findFirst();
    }

    private static Entry sharded(String collection, Document key, String reason) {
        return new Entry(collection, key, reason);
    }

    private static Entry unsharded(String collection, String reason) {
        return new Entry(collection, null, reason);
    }

    /**
     * One collection: its shard key ({@code null}: stays unsharded, on the database's primary shard) and the reason.
     * A key's values are {@code 1} (ranged) or {@code "hashed"} (at most one field).
     */
    public record Entry(String collection, Document key, String reason) {

        public boolean sharded() {
            return key != null;
        }

        /** The key's field names, in order; empty when unsharded. */
        public List<String> fields() {
            return key == null ? List.of() : List.copyOf(key.keySet());
        }

        public boolean hashed() {
            return key != null && key.values().stream().anyMatch("hashed"::equals);
        }

        /**
         * Whether a unique index with these keys may exist on the collection once it is sharded: it must start with
         * every shard-key field, in order (manual, "Shard Key Indexes", unique indexes). The {@code _id} index is
         * always allowed, though it is unique per shard only unless {@code _id} is the shard key.
         */
        public boolean admitsUniqueIndex(Document indexKeys) {
            if (!sharded() || indexKeys.keySet().equals(java.util.Set.of("_id"))) {
                return true;
            }
            List<String> indexFields = List.copyOf(indexKeys.keySet());
            return !hashed() && indexFields.size() >= fields().size()
                    && indexFields.subList(0, fields().size()).equals(fields());
        }

        /** Whether an index with these keys supports the shard key: the key is its prefix, with the same types. */
        public boolean supportedBy(Document indexKeys) {
            if (!sharded()) {
                return true;
            }
            List<String> indexFields = List.copyOf(indexKeys.keySet());
            if (indexFields.size() < fields().size()) {
                return false;
            }
            for (int i = 0; i < fields().size(); i++) {
                String field = fields().get(i);
                if (!indexFields.get(i).equals(field) || !sameType(key.get(field), indexKeys.get(field))) {
                    return false;
                }
            }
            return true;
        }

        private static boolean sameType(Object shardKey, Object index) {
            if ("hashed".equals(shardKey)) {
                return "hashed".equals(index);
            }
            // A ranged key is supported by an ascending index on the field (the manual's examples; descending shard
            // key fields do not exist).
            return index instanceof Number number && number.intValue() == 1;
        }
    }
}
