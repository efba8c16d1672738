package com.phishnet.store.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import com.phishnet.store.platform.web.InputBounds;
import com.phishnet.store.reputation.ReputationEntry;
import com.phishnet.store.reputation.ReputationOwner;
import com.phishnet.store.reputation.ReputationVerdict;
import com.phishnet.store.reputation.SubjectType;
import com.phishnet.store.scans.Feedback;
import com.phishnet.store.scans.Verdict;
import com.phishnet.store.support.JsonSchemaSubset;
import com.phishnet.store.support.RenderedBson;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** What V005 installs, checked as BSON against the documents Spring Data writes. */
class V005ReputationOwnersTest {

    private final Instant now = Instant.parse("2026-11-23T10:00:00Z");
    private final String longUrl = SubjectType.URL.normalize("https://phish.example/?q=" + "a".repeat(2048 - 25));

    @Test
    void aGlobalVerdictAboutTheLongestUrlSatisfiesTheValidator() {
        Document written = RenderedBson.document(entry(ReputationOwner.GLOBAL, longUrl));

        assertThat(longUrl).hasSize(2048);
        assertThat(JsonSchemaSubset.violations(V005_ReputationOwnersAndIdentifierBounds.reputation(), written)).isEmpty();
        assertThat(written).doesNotContainKey("tenantId");
    }

    @Test
    void aTenantOverrideSatisfiesTheValidator() {
        Document written = RenderedBson.document(entry(ReputationOwner.tenant("t".repeat(InputBounds.TENANT_ID_MAX)),
                longUrl));

        assertThat(JsonSchemaSubset.violations(V005_ReputationOwnersAndIdentifierBounds.reputation(), written)).isEmpty();
    }

    @Test
    void aGlobalVerdictThatNamesATenantIsRejected() {
        Document written = RenderedBson.document(entry(ReputationOwner.GLOBAL, "https://phish.example/"))
                .append("tenantId", "acme");

        assertThat(JsonSchemaSubset.violations(V005_ReputationOwnersAndIdentifierBounds.reputation(), written))
                .containsExactly(": matches none of anyOf");
    }

    @Test
    void aTenantOverrideWithoutItsTenantIsRejected() {
        Document written = RenderedBson.document(entry(ReputationOwner.tenant("acme"), "https://phish.example/"));
        written.remove("tenantId");

        assertThat(JsonSchemaSubset.violations(V005_ReputationOwnersAndIdentifierBounds.reputation(), written))
                .containsExactly(": matches none of anyOf");
    }

    @Test
    void anEntryOfTheOldIdSchemeIsRejected() {
        Document old = RenderedBson.document(entry(ReputationOwner.GLOBAL, "https://phish.example/"))
                .append("_id", "URL:https://phish.example/");

        assertThat(JsonSchemaSubset.violations(V005_ReputationOwnersAndIdentifierBounds.reputation(), old))
                .containsExactly("._id: shorter than 64");
    }

    @Test
    void feedbackFromAnAnalystWithTheLongestTokenSubjectSatisfiesTheValidator() {
        Document written = RenderedBson.document(new Feedback("f-1", "acme", "s-1", "a".repeat(InputBounds.SUBJECT_MAX),
                Verdict.CLEAN, null, now, now, null, null, null, null));

        assertThat(JsonSchemaSubset.violations(V005_ReputationOwnersAndIdentifierBounds.feedback(), written)).isEmpty();
        assertThat(JsonSchemaSubset.violations(V001_CreateCollections.feedback(), written))
                .as("the V001 validator this replaces").containsExactly(".analystId: longer than 64");
    }

    @Test
    void feedbackKeepsEverythingElseOfItsV001Validator() {
        Document before = V001_CreateCollections.feedback().get("$jsonSchema", Document.class);
        Document after = V005_ReputationOwnersAndIdentifierBounds.feedback().get("$jsonSchema", Document.class);

        assertThat(after.getList("required", String.class)).isEqualTo(before.getList("required", String.class));
        assertThat(after.get("properties", Document.class).keySet())
                .containsExactlyElementsOf(before.get("properties", Document.class).keySet());
    }

    @Test
    void theOnlyNewReputationIndexIsNotUniqueAndStartsWithTenantId() {
        var indexes = V005_ReputationOwnersAndIdentifierBounds.reputationIndexes();

        assertThat(indexes).hasSize(1);
        assertThat(indexes.get(0).getOptions().isUnique()).isFalse();
        assertThat(List.copyOf(Document.parse(indexes.get(0).getKeys().toBsonDocument().toJson()).keySet()))
                .containsExactly("tenantId", "subjectType", "subject");
    }

    private ReputationEntry entry(ReputationOwner owner, String url) {
        return ReputationEntry.of(owner, SubjectType.URL, url, ReputationVerdict.MALICIOUS, 0.9, "feed", now,
                now.plusSeconds(3600));
    }
}
