package com.phishnet.store.scans;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.phishnet.store.platform.web.CursorCodec.Position;
import com.phishnet.store.support.RenderedBson;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The BSON of every scan, email and feedback query and update, as sent to the server. */
class ScanQueriesTest {

    private final Instant from = Instant.parse("2026-11-01T00:00:00Z");
    private final Instant to = Instant.parse("2026-11-23T00:00:00Z");

    @Test
    void anUnfilteredScanPageIsTheTenantSortedByTimeThenId() {
        var query = ScanRepository.scanPage("acme", new ScanFilter(null, null, null, null, null, null, null), null, 100, 50);

        assertThat(RenderedBson.filter(query, ScanResult.class)).isEqualTo("{\"tenantId\": \"acme\"}");
        assertThat(RenderedBson.sort(query, ScanResult.class)).isEqualTo("{\"scannedAt\": -1, \"_id\": -1}");
        assertThat(query.getSkip()).isEqualTo(100);
        assertThat(query.getLimit()).isEqualTo(50);
    }

    @Test
    void everyScanFilterRendersItsOperator() {
        var query = ScanRepository.scanQuery("acme", new ScanFilter(Verdict.MALICIOUS, 0.5, 0.9, "Eve@Evil.example",
                "u-1", from, to));

        assertThat(RenderedBson.filter(query, ScanResult.class)).isEqualTo("{\"tenantId\": \"acme\", "
                + "\"verdict\": \"MALICIOUS\", \"sender\": \"eve@evil.example\", \"userId\": \"u-1\", "
                + "\"score\": {\"$gte\": 0.5, \"$lte\": 0.9}, "
                + "\"scannedAt\": {\"$gte\": {\"$date\": \"2026-11-01T00:00:00Z\"}, \"$lt\": {\"$date\": \"2026-11-23T00:00:00Z\"}}}");
    }

    @Test
    void aKeysetPageStartsStrictlyAfterThePositionAndNeverSkips() {
        var query = ScanRepository.scanPage("acme", new ScanFilter(Verdict.CLEAN, null, null, null, null, null, null),
                new Position(to, "s-9"), 100, 50);

        assertThat(RenderedBson.filter(query, ScanResult.class)).isEqualTo("{\"tenantId\": \"acme\", \"verdict\": \"CLEAN\", "
                + "\"scannedAt\": {\"$lte\": {\"$date\": \"2026-11-23T00:00:00Z\"}}, "
                + "\"$or\": [{\"scannedAt\": {\"$lt\": {\"$date\": \"2026-11-23T00:00:00Z\"}}}, "
                + "{\"$and\": [{\"scannedAt\": {\"$date\": \"2026-11-23T00:00:00Z\"}}, {\"_id\": {\"$lt\": \"s-9\"}}]}]}");
        assertThat(query.getSkip()).isZero();
    }

    @Test
    void textSearchNamesTheTenantAndUsesNoLanguage() {
        var query = ScanRepository.emailQuery("acme", new EmailFilter(null, "Bob@Corp.example", "invoice overdue", null, null));

        assertThat(Document.parse(RenderedBson.filter(query, EmailMeta.class))).isEqualTo(Document.parse(
                "{tenantId: 'acme', recipients: 'bob@corp.example', $text: {$search: 'invoice overdue', $language: 'none'}}"));
    }

    @Test
    void theScansOfAMessageMatchItsEmailIdOnTheTenantsEmailIndex() {
        var query = ScanRepository.scanPage("acme", new ScanFilter(null, null, null, null, null, null, null, "<m1@x>", "e-7"),
                null, 0, 50);

        // The message id itself is never matched on scans (they do not store it): its email's id is.
        assertThat(RenderedBson.filter(query, ScanResult.class)).isEqualTo("{\"tenantId\": \"acme\", \"emailId\": \"e-7\"}");
    }

    @Test
    void theEmailOfAMessageIsLookedUpByTheUniqueTenantAndMessageKey() {
        assertThat(RenderedBson.filter(ScanRepository.emailByMessageId("acme", "<m1@x>"), EmailMeta.class))
                .isEqualTo("{\"tenantId\": \"acme\", \"messageId\": \"<m1@x>\"}");
    }

    @Test
    void aHashLookupMatchesTheSha256InLowerCaseInTheListsOrder() {
        String hash = "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789ABCDEF";
        var query = ScanRepository.emailPage("acme", new EmailFilter(null, null, null, null, null, hash), null, 0, 50);

        assertThat(RenderedBson.filter(query, EmailMeta.class)).isEqualTo("{\"tenantId\": \"acme\", \"hashes.sha256\": \""
                + hash.toLowerCase(java.util.Locale.ROOT) + "\"}");
        assertThat(RenderedBson.sort(query, EmailMeta.class)).isEqualTo("{\"receivedAt\": -1, \"_id\": -1}");
    }

    @Test
    void filtersWithoutTheNewLookupsKeepTheirCursorFingerprints() {
        // Cursors issued before messageId and sha256 existed are bound to these strings: they must not change.
        assertThat(new ScanFilter(null, null, null, null, "u-1", null, null).fingerprint())
                .isEqualTo("v=null;min=null;max=null;s=null;u=u-1;f=null;t=null");
        assertThat(new EmailFilter(null, null, "x", null, null).fingerprint()).isEqualTo("s=null;r=null;q=x;f=null;t=null");
        assertThat(new ScanFilter(null, null, null, null, null, null, null, "<m1@x>", null).fingerprint()).endsWith(";m=<m1@x>");
        assertThat(new EmailFilter(null, null, null, null, null, "AB".repeat(32)).fingerprint()).endsWith(";h=" + "ab".repeat(32));
    }

    @Test
    void anEmailIsCreatedOnceAndReusedAfterwards() {
        EmailMeta email = new EmailMeta("e-1", "acme", "u-1", "<m1@x>", "a@x.example", "x.example", List.of("b@y.example"),
                "Hi", from, 10, Map.of(), false, to);

        assertThat(RenderedBson.filter(ScanRepository.emailByMessageId("acme", "<m1@x>"), EmailMeta.class))
                .isEqualTo("{\"tenantId\": \"acme\", \"messageId\": \"<m1@x>\"}");
        Document update = Document.parse(RenderedBson.update(ScanRepository.insertOnly(email), EmailMeta.class));
        assertThat(update.keySet()).containsExactly("$setOnInsert");
        assertThat(update.get("$setOnInsert", Document.class)).containsEntry("_id", "e-1").containsEntry("legalHold", false);
    }

    @Test
    void feedbackIsOnePerAnalystAndScan() {
        assertThat(RenderedBson.filter(ScanRepository.feedbackQuery("acme", "s-1", "a-1"), Feedback.class))
                .isEqualTo("{\"tenantId\": \"acme\", \"scanId\": \"s-1\", \"analystId\": \"a-1\"}");
    }

    @Test
    void feedbackWithoutACommentNeverWritesNull() {
        Instant now = Instant.parse("2026-11-23T10:00:00Z");
        Document update = Document.parse(RenderedBson.update(ScanRepository.feedbackUpdate(
                new Feedback("f-1", "acme", "s-1", "a-1", Verdict.CLEAN, null, now, now, null, null, "m-1", Verdict.MALICIOUS)), Feedback.class));

        assertThat(update.get("$set", Document.class)).doesNotContainKey("comment").containsEntry("correctedVerdict", "CLEAN");
        assertThat(update.get("$unset", Document.class)).containsKey("comment");
        assertThat(update.get("$setOnInsert", Document.class)).containsEntry("_id", "f-1");
    }

    @Test
    void equalRequestsHashEquallyAndOthersNot() {
        var email = new ScanRequests.EmailInput("<m@x>", "a@x.example", List.of("b@y.example"), "s", from, 1, Map.of());
        var result = new ScanRequests.ResultInput(Verdict.CLEAN, 0.1, List.of(), "m1", Map.of(), to);
        var request = new ScanRequests.IngestScan("u-1", email, result);
        var other = new ScanRequests.IngestScan("u-2", email, result);

        assertThat(ScanService.requestHash(request)).isEqualTo(ScanService.requestHash(
                new ScanRequests.IngestScan("u-1", email, result))).hasSize(64);
        assertThat(ScanService.requestHash(other)).isNotEqualTo(ScanService.requestHash(request));
    }
}
