package com.phishnet.store.analytics;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Response shapes of the analytics API. */
public final class AnalyticsRequests {

    private AnalyticsRequests() {
    }

    public record VerdictCounts(long total, long clean, long suspicious, long malicious, long feedback,
            Instant lastScanAt) {
    }

    public record DailyCount(LocalDate day, long clean, long suspicious, long malicious) {

        public long total() {
            return clean + suspicious + malicious;
        }
    }

    public record DailySeries(Instant from, Instant to, List<DailyCount> days) {
    }

    /** Figures of one collection; -1 where the server could not describe it. */
    public record CollectionStats(String name, long count, long sizeBytes, long storageBytes, long indexBytes,
            Map<String, Long> indexSizes) {
    }

    public record SystemStats(List<CollectionStats> collections, Map<String, Double> connectionPool) {
    }
}
