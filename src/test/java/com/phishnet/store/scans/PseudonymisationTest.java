package com.phishnet.store.scans;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;

import com.phishnet.store.support.RenderedBson;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The erasure's field rules in the scan records, and the BSON the repository sends for them. */
class PseudonymisationTest {

    private static final String ADDRESS = "ann.o'neil+x@example.com";
    private static final String PSEUDONYM = "erased-u-1@erased.invalid";

    @Test
    void theAddressPatternMatchesOnlyTheAddressItselfInAnyLetterCase() {
        String pattern = Pseudonymisation.literalPattern(ADDRESS);

        assertThat(pattern).isEqualTo("ann\\.o\\'neil\\+x\\@example\\.com");
        assertThat(Pattern.compile(pattern, Pattern.CASE_INSENSITIVE).matcher("mailto:ANN.O'Neil+X@Example.COM").find()).isTrue();
        // '.' and '+' are literals: no other address matches.
        assertThat(Pseudonymisation.mentions("annXo'neil+x@exampleXcom", ADDRESS)).isFalse();
        assertThat(Pseudonymisation.mentions("ann.o'neilx@example.com", ADDRESS)).isFalse();
        assertThat(Pseudonymisation.literalPattern("a$b(c)|d@x.example")).isEqualTo("a\\$b\\(c\\)\\|d\\@x\\.example");
    }

    @Test
    void anIndicatorValueKeepsItsThreatDataAndLosesEverySpellingOfTheAddress() {
        assertThat(Pseudonymisation.indicatorValue("http://track.evil.example/o?u=Ann.O'Neil+X@Example.com&id=7", ADDRESS,
                PSEUDONYM)).isEqualTo("http://track.evil.example/o?u=" + PSEUDONYM + "&id=7");
        assertThat(Pseudonymisation.indicatorValue(ADDRESS + " " + ADDRESS, ADDRESS, PSEUDONYM))
                .isEqualTo(PSEUDONYM + " " + PSEUDONYM);
        // Two spellings: the first is replaced, the second would survive, so the whole value goes.
        assertThat(Pseudonymisation.indicatorValue(ADDRESS + " " + ADDRESS.toUpperCase(), ADDRESS, PSEUDONYM))
                .isEqualTo(PSEUDONYM);
        assertThat(Pseudonymisation.indicatorValue("http://x.example", ADDRESS, PSEUDONYM)).isEqualTo("http://x.example");
        assertThat(Pseudonymisation.indicatorValue(null, ADDRESS, PSEUDONYM)).isNull();
    }

    @Test
    void emailsToEraseAreTheUsersWithASubjectOtherRecipientsOrTheirOwnAddressAsSender() {
        assertThat(RenderedBson.filter(ScanRepository.emailsToErase("acme", "u-1", ADDRESS, PSEUDONYM), EmailMeta.class))
                .isEqualTo("{\"tenantId\": \"acme\", \"userId\": \"u-1\", \"$or\": [{\"subject\": {\"$exists\": true}}, "
                        + "{\"recipients\": {\"$ne\": [\"" + PSEUDONYM + "\"]}}, {\"sender\": \"" + ADDRESS + "\"}]}");
        // Without the address (erased before, nothing pending) only the rules that need none select.
        assertThat(RenderedBson.filter(ScanRepository.emailsToErase("acme", "u-1", null, PSEUDONYM), EmailMeta.class))
                .doesNotContain("sender");
    }

    @Test
    void anErasedEmailGetsThePseudonymAsRecipientsLosesItsSubjectAndKeepsAThirdPartySender() {
        List<Document> pipeline = ScanRepository.erasedEmail(ADDRESS, PSEUDONYM);

        assertThat(pipeline).hasSize(2);
        Document set = pipeline.get(0).get("$set", Document.class);
        assertThat(set.get("recipients")).isEqualTo(new Document("$literal", List.of(PSEUDONYM)));
        assertThat(set.toJson()).contains("{\"$cond\": [{\"$eq\": [\"$sender\", {\"$literal\": \"" + ADDRESS
                + "\"}]}, {\"$literal\": \"" + PSEUDONYM + "\"}, \"$sender\"]}");
        assertThat(set.get("senderDomain", Document.class).toJson()).contains("{\"$literal\": \"erased.invalid\"}",
                "\"$senderDomain\"");
        assertThat(pipeline.get(1)).isEqualTo(new Document("$unset", List.of("subject")));
        assertThat(ScanRepository.erasedEmail(null, PSEUDONYM).get(0).get("$set", Document.class).keySet())
                .containsExactly("recipients");
    }

    @Test
    void scansToEraseAreTheUsersNamingTheAddressAsSenderOrInAnIndicator() {
        assertThat(RenderedBson.filter(ScanRepository.scansToErase("acme", "u-1", ADDRESS), ScanResult.class))
                .isEqualTo("{\"tenantId\": \"acme\", \"userId\": \"u-1\", \"$or\": [{\"sender\": \"" + ADDRESS + "\"}, "
                        + "{\"indicators.value\": {\"$regularExpression\": {\"pattern\": \"ann\\\\.o\\\\'neil\\\\+x\\\\@example\\\\.com\", "
                        + "\"options\": \"i\"}}}]}");
    }

    @Test
    void anErasedScanRewritesOnlyStringIndicatorsThatMentionTheAddress() {
        Document set = ScanRepository.erasedScan(ADDRESS, PSEUDONYM).get(0).get("$set", Document.class);
        String json = set.toJson();

        assertThat(set.keySet()).containsExactly("sender", "indicators");
        assertThat(json).contains("{\"$ne\": [{\"$type\": \"$$i.value\"}, \"string\"]}")
                .contains("\"$regexMatch\": {\"input\": \"$$i.value\", \"regex\": \"ann\\\\.o\\\\'neil\\\\+x\\\\@example\\\\.com\", \"options\": \"i\"}")
                .contains("\"$regexFind\"").contains("\"$replaceAll\"")
                .contains("{\"$regexMatch\": {\"input\": \"$$once\"")
                .contains("{\"$isArray\": \"$indicators\"}");
    }

    @Test
    void feedbackCommentsOfTheAnalystAreRemovedAndNothingElse() {
        assertThat(RenderedBson.filter(ScanRepository.commentsOf("acme", "u-1"), Feedback.class))
                .isEqualTo("{\"tenantId\": \"acme\", \"analystId\": \"u-1\", \"comment\": {\"$exists\": true}}");
    }
}
