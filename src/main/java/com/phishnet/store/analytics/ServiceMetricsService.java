package com.phishnet.store.analytics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.phishnet.store.analytics.AnalyticsRequests.MetricBucket;
import com.phishnet.store.analytics.AnalyticsRequests.MetricSeries;
import com.phishnet.store.analytics.AnalyticsRequests.MetricSeriesPage;
import com.phishnet.store.analytics.MetricsQuery.Granularity;
import com.phishnet.store.platform.time.InstanceId;
import com.phishnet.store.platform.web.ApiException;
import org.bson.Document;

import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * The service-metrics time series read back for operators: one metric's buckets per instance and tags,
 * aggregated by MongoDB ({@link ServiceMetricsRepository#pipeline}).
 */
@Service
public class ServiceMetricsService {

    /** Measurements expire after 30 days (V001); a day more covers a range that starts at the oldest one. */
    static final Duration MAX_RANGE = Duration.ofDays(31);
    static final Duration DEFAULT_RANGE = Duration.ofHours(1);
    /** A {@code to} a little ahead of now is fine (clocks differ); far ahead is a mistake. */
    static final Duration LATEST_AHEAD = Duration.ofDays(1);
    /** Per series; a default granularity is the finest that keeps to {@link #DEFAULT_BUCKETS}. */
    static final long MAX_BUCKETS = 1_500;
    static final long DEFAULT_BUCKETS = 300;

    private final ServiceMetricsRepository repository;
    private final Clock clock;

    public ServiceMetricsService(ServiceMetricsRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** {@code to} defaults to now, {@code from} to an hour before {@code to}, the granularity as above. */
    public Mono<MetricSeriesPage> series(String name, Instant from, Instant to, String granularity, String instance) {
        return Mono.fromCallable(() -> query(name, from, to, granularity, instance))
                .flatMap(query -> repository.aggregate(query).collectList()
                        .map(rows -> new MetricSeriesPage(query.metric().storedName(), query.metric().unit(),
                                query.from(), query.to(), query.granularity().parameter(),
                                series(rows.subList(0, Math.min(rows.size(), ServiceMetricsRepository.MAX_ROWS))),
                                rows.size() > ServiceMetricsRepository.MAX_ROWS)));
    }

    MetricsQuery query(String name, Instant from, Instant to, String granularity, String instance) {
        ServiceMetric metric = ServiceMetric.byStoredName(name).orElseThrow(() -> new ApiException.InvalidField("name",
                "is not a recorded metric; one of " + String.join(", ", ServiceMetric.storedNames())));
        Instant now = clock.instant();
        // Measurements expire after 30 days and none lie in the future; the bounds also keep dates BSON can hold.
        if (from != null && from.isBefore(now.minus(MAX_RANGE))) {
            throw new ApiException.InvalidField("from", "is at most " + MAX_RANGE.toDays() + " days ago (measurements expire after 30)");
        }
        if (to != null && to.isAfter(now.plus(LATEST_AHEAD))) {
            throw new ApiException.InvalidField("to", "is at most a day from now");
        }
        Instant end = to != null ? to : now;
        Instant start = from != null ? from : end.minus(DEFAULT_RANGE);
        if (!start.isBefore(end)) {
            throw new ApiException.InvalidField("to", "must be after from");
        }
        if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
            throw new ApiException.InvalidField("from", "a range covers at most " + MAX_RANGE.toDays()
                    + " days (measurements expire after 30)");
        }
        if (instance != null && (instance.isEmpty() || instance.length() > InstanceId.MAX_LENGTH)) {
            throw new ApiException.InvalidField("instance", "has 1.." + InstanceId.MAX_LENGTH + " characters");
        }
        return new MetricsQuery(metric, start, end, granularity(granularity, start, end), instance);
    }

    private static Granularity granularity(String parameter, Instant from, Instant to) {
        if (parameter == null) {
            for (Granularity granularity : Granularity.values()) {
                if (granularity.bucketsBetween(from, to) <= DEFAULT_BUCKETS) {
                    return granularity;
                }
            }
            return Granularity.DAY;
        }
        Granularity granularity = Granularity.byParameter(parameter).orElseThrow(() -> new ApiException.InvalidField(
                "granularity", "is one of " + String.join(", ", java.util.Arrays.stream(Granularity.values())
                        .map(Granularity::parameter).toList())));
        if (granularity.bucketsBetween(from, to) > MAX_BUCKETS) {
            throw new ApiException.InvalidField("granularity", "gives more than " + MAX_BUCKETS
                    + " buckets over this range; choose a coarser one");
        }
        return granularity;
    }

    /** Rows come sorted by bucket start; a series is one instance with one set of tags. */
    static List<MetricSeries> series(List<Document> rows) {
        Map<List<Object>, MetricSeries> series = new LinkedHashMap<>();
        for (Document row : rows) {
            Document id = row.get("_id", Document.class);
            String instance = id.getString("instance");
            Map<String, String> tags = new TreeMap<>();
            Document storedTags = id.get("tags", Document.class);
            if (storedTags != null) {
                storedTags.forEach((key, value) -> tags.put(key, String.valueOf(value)));
            }
            series.computeIfAbsent(List.of(String.valueOf(instance), tags),
                    key -> new MetricSeries(instance, tags, new ArrayList<>()))
                    .buckets().add(new MetricBucket(id.get("start", Date.class).toInstant(), number(row.get("avg")),
                            number(row.get("p95")), number(row.get("max")), ((Number) row.get("samples")).longValue()));
        }
        return List.copyOf(series.values());
    }

    private static Double number(Object value) {
        return value instanceof Number number ? number.doubleValue() : null;
    }
}
