package com.phishnet.store.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.model.CreateCollectionOptions;
import com.mongodb.client.model.TimeSeriesGranularity;
import com.mongodb.client.model.ValidationAction;
import com.mongodb.client.model.ValidationLevel;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The collections and validators V001 creates, checked as the BSON the server will receive. */
class V001CreateCollectionsTest {

    private final List<V001_CreateCollections.CollectionDefinition> definitions = V001_CreateCollections.definitions();

    @Test
    void createsTheTenCollectionsOfTheDataModel() {
        assertThat(definitions).extracting(V001_CreateCollections.CollectionDefinition::name)
                .containsExactly("users", "oauth_credentials", "emails_meta", "scan_results", "audit_logs",
                        "refresh_tokens", "reputation_cache", "feedback", "backups", "system_metrics");
    }

    @Test
    void everyRegularCollectionHasAStrictValidator() {
        definitions.stream().filter(definition -> definition.options().getTimeSeriesOptions() == null)
                .forEach(definition -> {
                    CreateCollectionOptions options = definition.options();
                    assertThat(options.getValidationOptions().getValidator()).as(definition.name())
                            .isEqualTo(definition.validator());
                    assertThat(options.getValidationOptions().getValidationLevel()).isEqualTo(ValidationLevel.STRICT);
                    assertThat(options.getValidationOptions().getValidationAction()).isEqualTo(ValidationAction.ERROR);
                    assertThat(definition.validator().get("$jsonSchema", Document.class).getList("required", String.class))
                            .as(definition.name()).contains("_id");
                });
    }

    @Test
    void tenantOwnedCollectionsRequireATenant() {
        definitions.stream()
                .filter(definition -> !List.of("reputation_cache", "backups", "system_metrics").contains(definition.name()))
                .forEach(definition -> assertThat(schema(definition.validator()).getList("required", String.class))
                        .as(definition.name()).contains("tenantId"));
    }

    @Test
    void usersValidatorRendersRolesAndStatusesAsEnums() {
        Document properties = schema(V001_CreateCollections.users()).get("properties", Document.class);

        assertThat(properties.get("role", Document.class).toJson())
                .isEqualTo("{\"bsonType\": \"string\", \"enum\": [\"USER\", \"ANALYST\", \"ADMIN\"]}");
        assertThat(properties.get("status", Document.class).getList("enum", String.class))
                .containsExactly("ACTIVE", "SUSPENDED", "DEACTIVATED");
        assertThat(properties.get("createdAt", Document.class).toJson()).isEqualTo("{\"bsonType\": \"date\"}");
    }

    @Test
    void credentialTokensMustBeSealedBinary() {
        Document accessToken = schema(V001_CreateCollections.credentials()).get("properties", Document.class)
                .get("accessToken", Document.class);

        assertThat(accessToken.getString("bsonType")).isEqualTo("object");
        assertThat(accessToken.getList("required", String.class)).containsExactly("keyId", "ciphertext");
        assertThat(accessToken.get("properties", Document.class).get("ciphertext", Document.class).toJson())
                .isEqualTo("{\"bsonType\": \"binData\"}");
    }

    @Test
    void scanScoresAreBoundedNumbers() {
        Document score = schema(V001_CreateCollections.scans()).get("properties", Document.class).get("score", Document.class);

        assertThat(score.toJson()).isEqualTo(
                "{\"bsonType\": [\"double\", \"int\", \"long\", \"decimal\"], \"minimum\": 0.0, \"maximum\": 1.0}");
    }

    @Test
    void systemMetricsIsATimeSeriesThatExpires() {
        CreateCollectionOptions options = definitions.get(definitions.size() - 1).options();

        assertThat(options.getTimeSeriesOptions().getTimeField()).isEqualTo("timestamp");
        assertThat(options.getTimeSeriesOptions().getMetaField()).isEqualTo("meta");
        assertThat(options.getTimeSeriesOptions().getGranularity()).isEqualTo(TimeSeriesGranularity.SECONDS);
        assertThat(options.getExpireAfter(TimeUnit.SECONDS)).isEqualTo(30L * 24 * 3600);
    }

    private static Document schema(Document validator) {
        return validator.get("$jsonSchema", Document.class);
    }
}
