package com.phishnet.store.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.mongodb.client.model.IndexModel;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

/** The indexes V002 creates, checked as the key and option BSON the server will receive. */
class V002CreateIndexesTest {

    /** Collections whose documents belong to no tenant, and the one lookup that precedes knowing the tenant. */
    private static final Set<String> GLOBAL_COLLECTIONS = Set.of("reputation_cache", "backups");
    private static final Set<String> GLOBAL_INDEXES = Set.of("refresh_tokens_hash_unique", "refresh_tokens_expiry_ttl");

    private final Map<String, List<IndexModel>> indexes = V002_CreateIndexes.indexes();

    @Test
    void everyTenantIndexStartsWithTenantId() {
        indexes.forEach((collection, models) -> models.stream()
                .filter(model -> !GLOBAL_COLLECTIONS.contains(collection))
                .filter(model -> !GLOBAL_INDEXES.contains(model.getOptions().getName()))
                .forEach(model -> assertThat(keys(model).getFirstKey()).as(model.getOptions().getName())
                        .isEqualTo("tenantId")));
    }

    @Test
    void indexNamesAreUniqueAndExplicit() {
        List<String> names = indexes.values().stream().flatMap(List::stream)
                .map(model -> model.getOptions().getName()).toList();

        assertThat(names).doesNotContainNull().doesNotHaveDuplicates();
    }

    @Test
    void userEmailIsUniquePerTenant() {
        IndexModel index = named("users_tenant_email_unique");

        assertThat(keys(index).toJson()).isEqualTo("{\"tenantId\": 1, \"emailNormalized\": 1}");
        assertThat(index.getOptions().isUnique()).isTrue();
    }

    @Test
    void oneFeedbackPerAnalystAndScan() {
        IndexModel index = named("feedback_tenant_scan_analyst_unique");

        assertThat(keys(index).toJson()).isEqualTo("{\"tenantId\": 1, \"scanId\": 1, \"analystId\": 1}");
        assertThat(index.getOptions().isUnique()).isTrue();
    }

    @Test
    void messageIdIsUniquePerTenant() {
        IndexModel index = named("emails_tenant_message_unique");

        assertThat(keys(index).toJson()).isEqualTo("{\"tenantId\": 1, \"messageId\": 1}");
        assertThat(index.getOptions().isUnique()).isTrue();
    }

    @Test
    void idempotencyKeyIsUniqueOnlyWhereItWasGiven() {
        IndexModel index = named("scans_tenant_idempotency_unique");

        assertThat(keys(index).toJson()).isEqualTo("{\"tenantId\": 1, \"idempotencyKey\": 1}");
        assertThat(index.getOptions().isUnique()).isTrue();
        assertThat(index.getOptions().getPartialFilterExpression().toBsonDocument().toJson())
                .isEqualTo("{\"idempotencyKey\": {\"$exists\": true}}");
    }

    @Test
    void oneActiveCredentialPerUserAndProvider() {
        IndexModel index = named("credentials_tenant_user_provider_active_unique");

        assertThat(index.getOptions().isUnique()).isTrue();
        assertThat(index.getOptions().getPartialFilterExpression().toBsonDocument().toJson())
                .isEqualTo("{\"status\": \"ACTIVE\"}");
    }

    @Test
    void textSearchCoversSubjectAndSenderWithinATenant() {
        IndexModel index = named("emails_tenant_text");

        assertThat(keys(index).toJson()).isEqualTo("{\"tenantId\": 1, \"subject\": \"text\", \"sender\": \"text\"}");
        assertThat(index.getOptions().getDefaultLanguage()).isEqualTo("none");
    }

    @Test
    void refreshTokensAndReputationExpireAtTheirExpiresAt() {
        for (String name : List.of("refresh_tokens_expiry_ttl", "reputation_expiry_ttl")) {
            IndexModel index = named(name);
            assertThat(keys(index).toJson()).as(name).isEqualTo("{\"expiresAt\": 1}");
            assertThat(index.getOptions().getExpireAfter(TimeUnit.SECONDS)).as(name).isZero();
        }
    }

    @Test
    void listsSortByTimeThenIdForStableKeysetPaging() {
        assertThat(keys(named("scans_tenant_scanned")).toJson())
                .isEqualTo("{\"tenantId\": 1, \"scannedAt\": -1, \"_id\": -1}");
        assertThat(keys(named("scans_tenant_verdict_scanned")).toJson())
                .isEqualTo("{\"tenantId\": 1, \"verdict\": 1, \"scannedAt\": -1, \"_id\": -1}");
        assertThat(keys(named("emails_tenant_received")).toJson())
                .isEqualTo("{\"tenantId\": 1, \"receivedAt\": -1, \"_id\": -1}");
    }

    @Test
    void auditChainPositionsAreUniquePerTenant() {
        IndexModel index = named("audit_tenant_seq_unique");

        assertThat(keys(index).toJson()).isEqualTo("{\"tenantId\": 1, \"seq\": 1}");
        assertThat(index.getOptions().isUnique()).isTrue();
    }

    @Test
    void everyCollectionButTheTimeSeriesHasIndexes() {
        assertThat(indexes.keySet()).containsExactlyInAnyOrder("users", "oauth_credentials", "emails_meta",
                "scan_results", "audit_logs", "refresh_tokens", "reputation_cache", "feedback", "backups");
    }

    private IndexModel named(String name) {
        Map<String, IndexModel> byName = indexes.values().stream().flatMap(List::stream)
                .collect(Collectors.toMap(model -> model.getOptions().getName(), model -> model));
        assertThat(byName).containsKey(name);
        return byName.get(name);
    }

    private static BsonDocument keys(IndexModel model) {
        return model.getKeys().toBsonDocument();
    }
}
