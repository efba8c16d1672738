package com.phishnet.store.scans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** ScanJsonJmh reads and writes with the application's strict mapper, and its inputs are what it claims. */
class ScanJsonJmhTest {

    private static final ScanJsonJmh BENCHMARK = setUp();

    @Test
    void readsTheWholeIngestBody() {
        assertThat(BENCHMARK.readIngestScan()).isEqualTo(BENCHMARK.ingest);
        assertThat(BENCHMARK.ingest.result().indicators()).hasSize(5);
        assertThat(BENCHMARK.ingest.email().hashes()).containsKeys("sha256", "md5");
    }

    @Test
    void theMapperIsTheApplicationsStrictOne() {
        String verdictAsNumber = ScanJsonJmh.INGEST_JSON.replace("\"verdict\":\"MALICIOUS\"", "\"verdict\":2");
        String paddedVerdict = ScanJsonJmh.INGEST_JSON.replace("\"verdict\":\"MALICIOUS\"", "\"verdict\":\" MALICIOUS\"");
        String numericUserId = ScanJsonJmh.INGEST_JSON.replace("\"userId\":\"u-7f3c2a\"", "\"userId\":12345");

        for (String refused : new String[] {verdictAsNumber, paddedVerdict, numericUserId}) {
            assertThatThrownBy(() -> BENCHMARK.json.readValue(refused, ScanRequests.IngestScan.class))
                    .isInstanceOf(JacksonException.class);
        }
    }

    @Test
    void writesTheScanWithItsEmailAndAPageOfTwentyScans() {
        JsonNode scan = BENCHMARK.json.readTree(BENCHMARK.writeScanView());
        JsonNode page = BENCHMARK.json.readTree(BENCHMARK.writeScanPage());

        assertThat(scan.get("indicators")).hasSize(5);
        assertThat(scan.get("email").get("recipients")).hasSize(3);
        assertThat(page.get("items")).hasSize(ScanJsonJmh.PAGE_SIZE);
        assertThat(page.get("nextCursor").isString()).isTrue();
    }

    private static ScanJsonJmh setUp() {
        ScanJsonJmh benchmark = new ScanJsonJmh();
        benchmark.setUp();
        return benchmark;
    }
}
