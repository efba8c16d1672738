package com.phishnet.store.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.mongodb.client.model.IndexModel;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** V007 as the BSON the server receives: the one-running-service-job index, the validator, the backfill. */
class V007JobScopesTest {

    private final IndexModel index = V007_JobScopes.indexes().get(0);

    @Test
    void atMostOneRunningServiceJobPerType() {
        assertThat(index.getKeys().toBsonDocument().toJson()).isEqualTo("{\"type\": 1}");
        assertThat(index.getOptions().isUnique()).isTrue();
        assertThat(index.getOptions().getName()).isEqualTo("jobs_one_running_service_job_per_type");
        assertThat(index.getOptions().getPartialFilterExpression().toBsonDocument().toJson())
                .isEqualTo("{\"state\": \"RUNNING\", \"scope\": \"SERVICE\"}");
    }

    @Test
    void thePartialFilterUsesOnlyEqualities() {
        // Equalities are accepted by every server version; $in/$or in partial filters only from 6.0.
        index.getOptions().getPartialFilterExpression().toBsonDocument()
                .forEach((field, value) -> assertThat(value.isString()).as(field).isTrue());
    }

    @Test
    void everyJobDeclaresItsScopeAndOnlyTenantJobsCarryATenant() {
        Document validator = V007_JobScopes.jobs();

        assertThat(validator.get("$jsonSchema", Document.class).getList("required", String.class)).contains("scope");
        assertThat(validator.getList("$or", Document.class)).containsExactly(
                Document.parse("{scope: 'SERVICE', tenantId: {$exists: false}}"),
                Document.parse("{scope: 'TENANT', tenantId: {$exists: true}}"));
    }

    @Test
    void theValidatorKeepsEveryV003Rule() {
        Document v003 = V003_CreateJobs.jobs().get("$jsonSchema", Document.class).get("properties", Document.class);
        Document v007 = V007_JobScopes.jobs().get("$jsonSchema", Document.class).get("properties", Document.class);

        v003.forEach((field, rule) -> assertThat(v007.get(field)).as(field).isEqualTo(rule));
    }

    @Test
    void earlierJobsBecomeServiceJobsAndTheirTenantBecomesTheRequesters() {
        assertThat(V007_JobScopes.unscoped().toJson()).isEqualTo("{\"scope\": {\"$exists\": false}}");
        assertThat(V007_JobScopes.scopeAsService()).containsExactly(
                Document.parse("{$set: {scope: 'SERVICE', requestedByTenant: '$tenantId'}}"),
                Document.parse("{$unset: 'tenantId'}"));
    }

    @Test
    void supersededRunsAreMarkedFailedWithAReason() {
        Document update = V007_JobScopes.superseded(java.time.Instant.parse("2026-11-23T10:00:00Z"))
                .get("$set", Document.class);

        assertThat(update.getString("state")).isEqualTo("FAILED");
        assertThat(update.getString("error")).startsWith("superseded");
        assertThat(update.getDate("completedAt")).isEqualTo(java.util.Date.from(java.time.Instant.parse("2026-11-23T10:00:00Z")));
    }

    @Test
    void listsOneIndex() {
        assertThat(V007_JobScopes.indexes()).hasSize(1);
        assertThat(List.of(index.getOptions().getName())).doesNotContainNull();
    }
}
