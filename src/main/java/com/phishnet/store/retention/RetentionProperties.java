package com.phishnet.store.retention;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long each kind of data is kept unless a tenant's override says otherwise ({@code phishnet.retention.*}), in
 * days, and the shortest a tenant may choose. Audit entries are kept at least a year whatever a tenant asks: the
 * trail is what an investigation needs most.
 */
@Validated
@ConfigurationProperties("phishnet.retention")
public record RetentionProperties(@Valid @NotNull @DefaultValue Days days, @Valid @NotNull @DefaultValue Minimum minimum,
        @Valid @NotNull @DefaultValue Run run) {

    public RetentionProperties {
        if (days != null && minimum != null && days.auditLogs() < minimum.auditLogs()) {
            throw new IllegalArgumentException("phishnet.retention.days.audit-logs (" + days.auditLogs()
                    + ") is below phishnet.retention.minimum.audit-logs (" + minimum.auditLogs() + ")");
        }
    }

    public static final int MAX_DAYS = 3650;

    public record Days(
            @Min(1) @Max(MAX_DAYS) @DefaultValue("90") int emailsMeta,
            @Min(1) @Max(MAX_DAYS) @DefaultValue("365") int scanResults,
            @Min(1) @Max(MAX_DAYS) @DefaultValue("730") int feedback,
            @Min(1) @Max(MAX_DAYS) @DefaultValue("1095") int auditLogs,
            @Min(1) @Max(MAX_DAYS) @DefaultValue("180") int jobs) {
    }

    /** The shortest override a tenant may set, per kind; 1 day unless stated. */
    public record Minimum(@Min(1) @Max(MAX_DAYS) @DefaultValue("365") int auditLogs) {
    }

    /**
     * Retention runs: the daily schedule (cron in UTC; {@code enabled=false} leaves only runs asked for over HTTP), the
     * lease that keeps it to one instance (longer than a run takes), and how deletion is paced so ingestion keeps
     * its share: batches of {@code batchSize}, at least {@code pause} between them and at most
     * {@code maxDeletesPerSecond} on average. {@code maxDocuments} bounds what one run archives per collection (the
     * archive is read at one cluster time, within the server's snapshot window); the next run takes the rest.
     */
    public record Run(
            @DefaultValue("true") boolean scheduled,
            @NotBlank @DefaultValue("0 0 2 * * *") String cron,
            @NotNull @DefaultValue("6h") Duration lease,
            @Min(1) @Max(10_000) @DefaultValue("1000") int batchSize,
            @NotNull @DefaultValue("50ms") Duration pause,
            @Min(1) @DefaultValue("20000") int maxDeletesPerSecond,
            @Min(1) @DefaultValue("250000") int maxDocuments) {
    }

    int defaultDays(RetainedData data, Duration metricsExpiry) {
        return switch (data) {
            case EMAILS_META -> days.emailsMeta();
            case SCAN_RESULTS -> days.scanResults();
            case FEEDBACK -> days.feedback();
            case AUDIT_LOGS -> days.auditLogs();
            case JOBS -> days.jobs();
            case SYSTEM_METRICS -> (int) metricsExpiry.toDays();
        };
    }

    int minimumDays(RetainedData data) {
        return data == RetainedData.AUDIT_LOGS ? minimum.auditLogs() : 1;
    }
}
