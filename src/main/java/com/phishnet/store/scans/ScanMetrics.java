package com.phishnet.store.scans;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * What scanning did, as Prometheus counters: scans ingested by verdict, threats (a scan detected SUSPICIOUS or
 * MALICIOUS, or feedback that raised a scan's verdict, as the threat stream shows them) and analyst feedback. Each
 * is counted once its transaction has committed: a unit that re-runs after a write conflict, fails, or is the
 * replay of an earlier request counts nothing. Every series exists from startup at 0, so rate() sees the first one.
 */
@Component
public class ScanMetrics {

    public static final String INGESTED = "phishnet.scans.ingested";
    public static final String THREATS = "phishnet.threats.detected";
    public static final String FEEDBACK = "phishnet.feedback.submitted";
    /** Bulk ingestion requests, tag {@code format} (json, ndjson). */
    public static final String BATCHES = "phishnet.scans.batches";
    /** Items of bulk ingestion requests by their result, tag {@code status} (created, duplicate, invalid, conflict, failed). */
    public static final String BATCH_ITEMS = "phishnet.scans.batch.items";

    static final String FORMAT_JSON = "json";
    static final String FORMAT_NDJSON = "ndjson";

    static final String SOURCE_SCAN = "scan";
    static final String SOURCE_FEEDBACK = "feedback";

    private final Map<Verdict, Counter> ingested = new EnumMap<>(Verdict.class);
    private final Map<Verdict, Counter> detected = new EnumMap<>(Verdict.class);
    private final Map<Verdict, Counter> raised = new EnumMap<>(Verdict.class);
    private final Map<Verdict, Map<Verdict, Counter>> feedback = new EnumMap<>(Verdict.class);
    private final Map<String, Counter> batches = new HashMap<>();
    private final Map<String, Counter> batchItems = new HashMap<>();

    public ScanMetrics(MeterRegistry meters) {
        for (Verdict verdict : Verdict.values()) {
            ingested.put(verdict, Counter.builder(INGESTED).tag("verdict", tag(verdict))
                    .description("Scans stored (committed), by the verdict the scanner gave").register(meters));
            if (verdict.isAbove(Verdict.CLEAN)) {
                detected.put(verdict, threat(meters, verdict, SOURCE_SCAN));
                raised.put(verdict, threat(meters, verdict, SOURCE_FEEDBACK));
            }
            Map<Verdict, Counter> to = new EnumMap<>(Verdict.class);
            for (Verdict corrected : Verdict.values()) {
                to.put(corrected, Counter.builder(FEEDBACK).tag("from", tag(verdict)).tag("to", tag(corrected))
                        .description("Analyst feedback recorded (committed), from the scan's verdict to the analyst's")
                        .register(meters));
            }
            feedback.put(verdict, to);
        }
        for (String format : List.of(FORMAT_JSON, FORMAT_NDJSON)) {
            batches.put(format, Counter.builder(BATCHES).tag("format", format)
                    .description("Bulk ingestion requests (POST /api/v1/scans:batch), by body format").register(meters));
        }
        for (String status : ScanBatchRequests.STATUSES) {
            batchItems.put(status, Counter.builder(BATCH_ITEMS).tag("status", status)
                    .description("Items of bulk ingestion requests, by their result; created ones are also in "
                            + INGESTED).register(meters));
        }
    }

    /** A bulk ingestion request began. */
    void batch(String format) {
        batches.get(format).increment();
    }

    /** An item of a bulk ingestion request ended with this result. */
    void batchItem(String status) {
        batchItems.get(status).increment();
    }

    /** A new scan was committed (never a replay). */
    void ingested(Verdict verdict) {
        ingested.get(verdict).increment();
        if (verdict.isAbove(Verdict.CLEAN)) {
            detected.get(verdict).increment();
        }
    }

    /** Feedback was committed; one that raised the verdict to a threat also counts as a threat. */
    void feedback(Verdict from, Verdict to) {
        feedback.get(from).get(to).increment();
        if (to.isAbove(from)) {
            raised.get(to).increment();
        }
    }

    private static Counter threat(MeterRegistry meters, Verdict verdict, String source) {
        return Counter.builder(THREATS).tag("verdict", tag(verdict)).tag("source", source)
                .description("Threats: scans detected SUSPICIOUS or MALICIOUS, and feedback that raised a verdict")
                .register(meters);
    }

    static String tag(Verdict verdict) {
        return verdict.name().toLowerCase(Locale.ROOT);
    }
}
