package com.phishnet.store.benchmark;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.phishnet.store.scans.Verdict;

/**
 * One scan as a scanner would send it, the same for both sides of the ingestion benchmark: the HTTP side posts
 * {@link #json()}, the raw side writes the documents the service would make of it ({@link RawScanIngestion}).
 * Every value is made from the sequence number: unique message ids and keys, a fixed mix of verdicts (1 in 10
 * MALICIOUS, which adds a second audit entry; 2 in 10 SUSPICIOUS; the rest CLEAN), two indicators, two hashes,
 * two timings.
 *
 * @param side      "http" or "raw": the prefix of the message id, the Idempotency-Key and the request id, so the
 *                  benchmark can tell the two sides' documents apart
 * @param tenantId  the scanner's tenant (the token's {@code tenant} claim)
 * @param actorId   the scanner (the token's {@code sub}), recorded as the audit entry's actor
 * @param userId    the user whose mailbox was scanned; their counters move
 */
public record ScanPayload(String side, long sequence, String tenantId, String actorId, String userId, String messageId,
        String sender, List<String> recipients, String subject, Instant receivedAt, long sizeBytes,
        Map<String, String> hashes, Verdict verdict, double score, List<Indicator> indicators, String modelVersion,
        Map<String, Long> timings, Instant scannedAt, String idempotencyKey, String requestId) {

    /** What the benchmark's HTTP client sends as User-Agent, and the raw side records as the caller's. */
    public static final String USER_AGENT = "phishnet-benchmark/1";
    /** The loopback address the HTTP client connects from, and the raw side records as the caller's. */
    public static final String CLIENT_IP = "127.0.0.1";

    public record Indicator(String type, String value, double weight) {
    }

    /**
     * The scan number {@code sequence} of a run ({@code run} keeps keys unique across runs on one database) for a
     * tenant's user, received two seconds and scanned one second before {@code now}.
     */
    public static ScanPayload of(String side, String run, long sequence, BenchTenant tenant, Instant now) {
        Verdict verdict = switch ((int) (sequence % 10)) {
            case 0 -> Verdict.MALICIOUS;
            case 1, 2 -> Verdict.SUSPICIOUS;
            default -> Verdict.CLEAN;
        };
        String key = side + "-" + run + "-" + sequence;
        String sender = "billing" + (sequence % 97) + "@invoices" + (sequence % 13) + ".example";
        String digest = String.format(Locale.ROOT, "%064x", sequence * 2_654_435_761L & Long.MAX_VALUE);
        Map<String, String> hashes = new LinkedHashMap<>();
        hashes.put("sha256", digest);
        hashes.put("md5", digest.substring(0, 32));
        Map<String, Long> timings = new LinkedHashMap<>();
        timings.put("model", 12 + sequence % 7);
        timings.put("total", 30 + sequence % 11);
        return new ScanPayload(side, sequence, tenant.tenantId(), tenant.scannerSubject(), tenant.userId(),
                "<" + key + "@mail.example>", sender, List.of("user" + (sequence % 50) + "@corp.example"),
                "Invoice " + sequence + " is overdue", now.minusSeconds(2), 20_000 + sequence % 5_000, hashes, verdict,
                verdict == Verdict.CLEAN ? 0.05 : verdict == Verdict.SUSPICIOUS ? 0.55 : 0.97,
                List.of(new Indicator("url", "http://login-" + (sequence % 31) + ".invoices.example/verify", 0.7),
                        new Indicator("sender-domain-age", "3 days", 0.4)),
                "m-bench-1", timings, now.minusSeconds(1), key, key);
    }

    /** The body of {@code POST /api/v1/scans}; every value is plain ASCII without quotes or backslashes. */
    public String json() {
        StringBuilder out = new StringBuilder(600);
        out.append("{\"userId\":\"").append(userId).append("\",\"email\":{\"messageId\":\"").append(messageId)
                .append("\",\"sender\":\"").append(sender).append("\",\"recipients\":[");
        for (int i = 0; i < recipients.size(); i++) {
            out.append(i == 0 ? "" : ",").append('"').append(recipients.get(i)).append('"');
        }
        out.append("],\"subject\":\"").append(subject).append("\",\"receivedAt\":\"").append(receivedAt)
                .append("\",\"sizeBytes\":").append(sizeBytes).append(",\"hashes\":{");
        appendMap(out, hashes, true);
        out.append("}},\"result\":{\"verdict\":\"").append(verdict.name()).append("\",\"score\":").append(score)
                .append(",\"indicators\":[");
        for (int i = 0; i < indicators.size(); i++) {
            Indicator indicator = indicators.get(i);
            out.append(i == 0 ? "" : ",").append("{\"type\":\"").append(indicator.type()).append("\",\"value\":\"")
                    .append(indicator.value()).append("\",\"weight\":").append(indicator.weight()).append('}');
        }
        out.append("],\"modelVersion\":\"").append(modelVersion).append("\",\"timings\":{");
        appendMap(out, timings, false);
        out.append("},\"scannedAt\":\"").append(scannedAt).append("\"}}");
        return out.toString();
    }

    private static void appendMap(StringBuilder out, Map<String, ?> map, boolean quoted) {
        boolean first = true;
        for (Map.Entry<String, ?> entry : map.entrySet()) {
            out.append(first ? "" : ",").append('"').append(entry.getKey()).append("\":");
            out.append(quoted ? "\"" + entry.getValue() + "\"" : entry.getValue());
            first = false;
        }
    }
}
