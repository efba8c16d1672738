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

    /**
     * Feedback on the scans of one model version with one original verdict. {@code agreed}: feedback whose
     * corrected verdict equals the scan's original verdict; {@code agreementRate} = agreed / feedback, null where
     * the original verdict is unknown ({@code verdict} "unknown": old feedback whose scan was gone before V017
     * could copy it). {@code averageRating} over the {@code rated} feedback, null when none was rated.
     */
    public record FeedbackAgreement(String modelVersion, String verdict, long feedback, long agreed,
            Double agreementRate, long falsePositive, long falseNegative, long needsReview, long rated,
            Double averageRating) {
    }

    /**
     * Agreement per model version and original verdict over feedback created in [from, to), ordered by model
     * version then verdict. {@code truncated}: more groups matched than one answer holds; ask for a shorter range.
     */
    public record FeedbackAgreementReport(Instant from, Instant to, List<FeedbackAgreement> groups,
            boolean truncated) {
    }

    /** Figures of one collection; -1 where the server could not describe it. */
    public record CollectionStats(String name, long count, long sizeBytes, long storageBytes, long indexBytes,
            Map<String, Long> indexSizes) {
    }

    public record SystemStats(List<CollectionStats> collections, Map<String, Double> connectionPool) {
    }

    /** One bucket of a series: the average value, the highest p95 recorded (null where none was) and the maximum. */
    public record MetricBucket(Instant start, Double avg, Double p95, Double max, long samples) {
    }

    /** One instance's measurements with one set of tags (a route group, a cache, a verdict...). */
    public record MetricSeries(String instance, Map<String, String> tags, List<MetricBucket> buckets) {
    }

    /** {@code truncated}: more rows matched than one answer holds; ask for a shorter range, coarser buckets or one instance. */
    public record MetricSeriesPage(String name, String unit, Instant from, Instant to, String granularity,
            List<MetricSeries> series, boolean truncated) {
    }
}
